"""The async engine, sessions and the declarative base every model derives from."""

from __future__ import annotations

import asyncio
import logging
import math
import time
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, MetaData, event, text
from sqlalchemy.engine import Dialect, ExceptionContext
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.ext.asyncio import create_async_engine as sqlalchemy_create_async_engine
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

from .settings import Settings

logger = logging.getLogger(__name__)

IDLE_PING_SECONDS = 10.0
_CHECKED_IN_AT = "checked_in_at"

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware timestamp, also on SQLite (which stores no offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetimes are ambiguous; pass an aware one")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


def utc_now() -> datetime:
    return datetime.now(UTC)


def create_engine(settings: Settings, *, bounded: bool = True) -> AsyncEngine:
    """An engine with a connection pool sized from the settings; connects lazily.

    Every connect, pool checkout and (when bounded) statement gives up after
    DB_TIMEOUT_SECONDS, so a hung database costs a request seconds, not minutes.
    Migrations pass bounded=False: an index build may rightly take longer.
    """
    url, timeout = settings.async_database_url, settings.db_timeout_seconds
    options: dict[str, Any] = {"echo": settings.sql_echo}
    if url.startswith("sqlite"):
        # How long to wait for another writer's lock.
        options["connect_args"] = {"timeout": timeout}
    else:
        options.update(
            pool_size=settings.db_pool_size,
            max_overflow=settings.db_max_overflow,
            pool_timeout=timeout,
            pool_recycle=30 * 60,
            connect_args=postgresql_connect_args(timeout, bounded=bounded),
        )
    engine = sqlalchemy_create_async_engine(url, **options)
    if url.startswith("sqlite"):
        event.listen(engine.sync_engine, "connect", _configure_sqlite)
    else:
        event.listen(engine.sync_engine, "handle_error", _drop_timed_out_connection)
        _ping_idle_connections(engine)
    return engine


def _ping_idle_connections(engine: AsyncEngine) -> None:
    """Ping a pooled connection before use only when it sat idle IDLE_PING_SECONDS or more.

    An idle connection may have been closed meanwhile (a database restart, a firewall);
    pinging every checkout (pool_pre_ping) would cost three round trips per request, while a
    busy connection is known to be alive. One that fails the ping is replaced by the pool.
    """
    pool, dialect = engine.sync_engine.pool, engine.sync_engine.dialect

    def remember_checkin(_dbapi_connection: Any, record: Any) -> None:
        record.info[_CHECKED_IN_AT] = time.monotonic()

    def ping_if_idle(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        checked_in_at = record.info.get(_CHECKED_IN_AT)
        if checked_in_at is None or time.monotonic() - checked_in_at < IDLE_PING_SECONDS:
            return
        try:
            dialect.do_ping(dbapi_connection)
        except Exception as error:
            raise DisconnectionError("idle connection failed its ping") from error

    event.listen(pool, "checkin", remember_checkin)
    event.listen(pool, "checkout", ping_if_idle)


def postgresql_connect_args(timeout: float, *, bounded: bool) -> dict[str, Any]:
    """asyncpg's options: connect timeout, client-side and server-side statement timeouts."""
    from .postgresql import BoundedCloseConnection  # asyncpg is installed with PostgreSQL only

    args: dict[str, Any] = {"timeout": timeout, "connection_class": BoundedCloseConnection}
    if bounded:
        # The client-side bound also covers a server that stopped answering at all.
        args["command_timeout"] = timeout
        args["server_settings"] = {"statement_timeout": str(math.ceil(timeout * 1000))}
    return args


def _drop_timed_out_connection(context: ExceptionContext) -> None:
    # A statement that timed out leaves the connection mid-conversation with a server that
    # may be hung: discard it at once (no ROLLBACK that would wait as long again).
    if isinstance(context.original_exception, TimeoutError):
        context.is_disconnect = True


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers and one writer work at once; SQLite leaves foreign keys off by default.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


def create_read_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions for requests that only read: each statement runs on its own, no transaction.

    Under READ COMMITTED (PostgreSQL's default) every statement sees its own snapshot
    anyway, so BEGIN and ROLLBACK around reads cost two round trips and buy nothing.
    """
    autocommit = engine.execution_options(isolation_level="AUTOCOMMIT")
    return async_sessionmaker(autocommit, expire_on_commit=False, autoflush=False)


# Probes given up on, still cleaning up; referenced so that they are not collected mid-way.
_abandoned_probes: set[asyncio.Task[None]] = set()


async def database_is_reachable(engine: AsyncEngine, *, within_seconds: float) -> bool:
    """Run SELECT 1 within the time given; any failure means unreachable.

    The answer does not wait for a probe that ran out of time to clean up (closing a
    connection to a hung server takes time of its own): that finishes in the background.
    """
    probe = asyncio.create_task(_select_one(engine))
    done, _ = await asyncio.wait({probe}, timeout=within_seconds)
    if not done:
        logger.warning("database readiness check failed: no answer in %s s", within_seconds)
        probe.cancel()
        _abandoned_probes.add(probe)
        probe.add_done_callback(_forget)
        return False
    if (error := probe.exception()) is not None:
        logger.warning("database readiness check failed: %s", type(error).__name__)
        return False
    return True


def _forget(probe: asyncio.Task[None]) -> None:
    _abandoned_probes.discard(probe)
    if not probe.cancelled():
        probe.exception()  # retrieved: whatever it was, readiness already said no


async def _select_one(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        await connection.execute(text("SELECT 1"))
