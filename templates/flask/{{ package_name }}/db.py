"""Engine options, SQLite pragmas and the readiness probe."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, event, text
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import ConnectionPoolEntry

from .extensions import db
from .settings import Settings

READINESS_TIMEOUT_MS = 2000


def utcnow() -> datetime:
    return datetime.now(UTC)


def engine_options(settings: Settings) -> dict[str, Any]:
    """Pooled connections that are checked before use; connecting gives up after 2 s."""
    url = settings.sqlalchemy_url
    if url.startswith("sqlite"):
        return {"connect_args": {"timeout": settings.db_connect_timeout}}
    return {
        "pool_pre_ping": True,
        "pool_size": settings.db_pool_size,
        "max_overflow": settings.db_max_overflow,
        "pool_timeout": settings.db_pool_timeout,
        "pool_recycle": 1800,
        "connect_args": {"connect_timeout": settings.db_connect_timeout},
    }


def enable_sqlite_foreign_keys(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
        cursor = connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


def database_is_reachable() -> bool:
    """SELECT 1 within READINESS_TIMEOUT_MS; any database error means "not ready"."""
    try:
        with db.engine.connect() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(text(f"SET LOCAL statement_timeout = {READINESS_TIMEOUT_MS}"))
            connection.execute(text("SELECT 1"))
            connection.rollback()
    except (SQLAlchemyError, OSError):
        return False
    return True
