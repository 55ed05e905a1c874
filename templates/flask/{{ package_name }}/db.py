"""Engine options, timeouts, SQLite pragmas and the readiness probe."""

from __future__ import annotations

import contextlib
import math
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, event, text
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import ConnectionPoolEntry

from .db_deadline import DatabaseTimeout, Watchdog, watch_engine
from .extensions import db
from .settings import Settings

# Readiness answers within 2 s whatever DB_TIMEOUT_SECONDS is.
READINESS_TIMEOUT_SECONDS = 1.5
# libpq (and psycopg) treat a connect timeout under 2 s as 2 s.
MIN_CONNECT_TIMEOUT = 2
_readiness_probe = ThreadPoolExecutor(max_workers=1, thread_name_prefix="readiness")


def utcnow() -> datetime:
    return datetime.now(UTC)


def engine_options(settings: Settings) -> dict[str, Any]:
    """Pooled connections; connects, statements and pool waits give up after DB_TIMEOUT_SECONDS.

    The connections are pinged on checkout by db_deadline (not pool_pre_ping).
    """
    url = settings.sqlalchemy_url
    timeout = settings.db_timeout_seconds
    if url.startswith("sqlite"):
        return {"connect_args": {"timeout": timeout}}
    return {
        "pool_size": settings.db_pool_size,
        "max_overflow": settings.db_max_overflow,
        "pool_timeout": timeout,
        "pool_recycle": 1800,
        "connect_args": {
            "connect_timeout": max(MIN_CONNECT_TIMEOUT, math.ceil(timeout)),
            # Timestamps come back in UTC, already as the API writes them (schemas.utc).
            "options": f"-c statement_timeout={math.ceil(timeout * 1000)} -c timezone=UTC",
        },
    }


def configure_engine(engine: Engine, settings: Settings) -> None:
    if engine.dialect.name == "sqlite":
        _enable_sqlite_foreign_keys(engine)
    elif engine.dialect.name == "postgresql":
        watch_engine(engine, Watchdog(settings.db_timeout_seconds))


def _enable_sqlite_foreign_keys(engine: Engine) -> None:

    @event.listens_for(engine, "connect")
    def _on_connect(connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
        cursor = connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


@contextlib.contextmanager
def reading() -> Iterator[Connection]:
    """A connection for Core reads: the request's session's, when it has one open.

    Otherwise a pooled connection of its own, back in the pool as soon as the read
    is done, without a Session built and torn down around it. It runs in autocommit:
    each read is one statement, consistent by itself, and the BEGIN and ROLLBACK
    around it would be two more round trips to the database per request.
    """
    if db.session.registry.has() and db.session().in_transaction():
        yield db.session.connection()  # the read sees this request's own writes
        return
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        yield connection


def database_is_reachable() -> bool:
    """SELECT 1 within READINESS_TIMEOUT_SECONDS; any database error means "not ready"."""
    # A thread of its own: a connect to a frozen server may take the connect timeout.
    probe = _readiness_probe.submit(_select_one, db.engine)
    try:
        return probe.result(timeout=READINESS_TIMEOUT_SECONDS)
    except FutureTimeout:
        return False


def _select_one(engine: Engine) -> bool:
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            connection.rollback()
    except (SQLAlchemyError, OSError, DatabaseTimeout):
        return False
    return True
