"""A DATABASE_URL that cannot work, said in one line before a command or a server starts.

Every message has the shape `DATABASE_URL: <what is wrong>; <how to fix it>`.
"""

from __future__ import annotations

import asyncio
import errno
import socket
import sqlite3
from collections.abc import Iterator

from sqlalchemy import text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine
from sqlalchemy.pool import NullPool

from .db import create_engine
from .settings import ConfigurationError, Settings

# PostgreSQL's error codes (SQLSTATE) for the mistakes a DATABASE_URL can hold.
MISSING_DATABASE = "3D000"
BAD_LOGIN = frozenset({"28000", "28P01"})
DUPLICATE_DATABASE = "42P04"
UNDEFINED_TABLE = "42P01"
MAINTENANCE_DATABASE = "postgres"
TEST_SUFFIX = "_test"


class DatabaseUnusable(ConfigurationError):
    """The database DATABASE_URL names cannot be used; the message says why and what to do."""


def require_database(settings: Settings, *, within_seconds: float | None = None) -> None:
    """Connect once and run SELECT 1; DatabaseUnusable with one line when that fails.

    The wait is DB_TIMEOUT_SECONDS, or within_seconds when that is shorter.
    """
    timeout = min(settings.db_timeout_seconds, within_seconds or settings.db_timeout_seconds)
    asyncio.run(_require_database(settings, seconds=timeout))


async def _require_database(settings: Settings, *, seconds: float) -> None:
    if not settings.uses_postgresql:
        _open_sqlite(settings)
        return
    engine = create_engine(settings.model_copy(update={"db_timeout_seconds": seconds}))
    try:
        async with asyncio.timeout(seconds + 0.5), engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
    except Exception as error:
        raise DatabaseUnusable(describe(error, settings)) from None
    finally:
        await engine.dispose()


def _open_sqlite(settings: Settings) -> None:
    # The standard library's driver: aiosqlite's worker thread would outlive a failed connect.
    path = make_url(settings.async_database_url).database or ":memory:"
    try:
        sqlite3.connect(path, timeout=settings.db_timeout_seconds).close()
    except sqlite3.Error as error:
        raise DatabaseUnusable(describe(error, settings)) from None


def suite_database_url(database_url: str) -> str:
    """The database the test suite uses beside a PostgreSQL DATABASE_URL: `<name>_test`."""
    url = make_url(database_url)
    name = url.database or ""
    if name.endswith(TEST_SUFFIX):
        return database_url
    return url.set(database=name + TEST_SUFFIX).render_as_string(hide_password=False)


def create_databases(settings: Settings, *, with_test_database: bool = True) -> list[str]:
    """Create the PostgreSQL database of DATABASE_URL (and its test database) when missing.

    Returns the names created; SQLite files are created by their first connection.
    """
    if not settings.uses_postgresql:
        return []
    names = [make_url(settings.async_database_url).database or ""]
    if with_test_database:
        names.append(make_url(suite_database_url(settings.async_database_url)).database or "")
    return asyncio.run(_create_databases(settings, list(dict.fromkeys(names))))


async def _create_databases(settings: Settings, names: list[str]) -> list[str]:
    server = make_url(settings.async_database_url).set(database=MAINTENANCE_DATABASE)
    engine = create_async_engine(
        server,
        poolclass=NullPool,
        isolation_level="AUTOCOMMIT",
        connect_args={"timeout": settings.db_timeout_seconds},
    )
    try:
        async with engine.connect() as connection:
            query = text("SELECT datname FROM pg_database WHERE datname = ANY(:names)")
            existing = set(await connection.scalars(query, {"names": names}))
            missing = [name for name in names if name not in existing]
            for name in missing:
                await _create_database(connection, name)
    except Exception as error:
        raise DatabaseUnusable(describe(error, settings)) from None
    finally:
        await engine.dispose()
    return missing


async def _create_database(connection: AsyncConnection, name: str) -> None:
    quoted = '"' + name.replace('"', '""') + '"'
    try:
        await connection.execute(text(f"CREATE DATABASE {quoted}"))
    except Exception as error:
        # Created meanwhile by another command (two test runs starting at once): fine.
        if _sqlstate(error) != DUPLICATE_DATABASE:
            raise


def describe(error: BaseException, settings: Settings) -> str:
    """What went wrong connecting to the database, and the fix, in one line."""
    url = make_url(settings.async_database_url)
    if _sqlstate(error) == UNDEFINED_TABLE or "no such table" in _first_line(error):
        return f"DATABASE_URL: the tables are missing ({_first_line(error)}); run make migrate"
    if not settings.uses_postgresql:
        return (
            f"DATABASE_URL: cannot open the SQLite database {url.database} ({_first_line(error)});"
            " check that its folder exists and is writable"
        )
    code = _sqlstate(error)
    if code == MISSING_DATABASE:
        return f'DATABASE_URL: database "{url.database}" does not exist; run make db'
    if code in BAD_LOGIN:
        return f"DATABASE_URL: {_server_message(error)}; fix the user or password"
    if code is not None:
        return f"DATABASE_URL: PostgreSQL says {_server_message(error)}; fix DATABASE_URL"
    return (
        f"DATABASE_URL: cannot connect to PostgreSQL at {_address(url)} ({_reason(error)});"
        " start it or fix the address"
    )


def _address(url: URL) -> str:
    return f"{url.host or 'localhost'}:{url.port or 5432}"


def _reason(error: BaseException) -> str:
    for cause in _chain(error):
        if isinstance(cause, socket.gaierror):
            return "unknown host"
        if isinstance(cause, ConnectionRefusedError) or (
            isinstance(cause, OSError) and cause.errno == errno.ECONNREFUSED
        ):
            return "connection refused"
        if isinstance(cause, TimeoutError):
            return "no answer in time"
    return _first_line(error)


def _sqlstate(error: BaseException) -> str | None:
    for cause in _chain(error):
        code = getattr(cause, "sqlstate", None)
        if isinstance(code, str):
            return code
    return None


def _server_message(error: BaseException) -> str:
    for cause in _chain(error):
        if isinstance(getattr(cause, "sqlstate", None), str):
            return _first_line(cause)
    return _first_line(error)


def _first_line(error: BaseException) -> str:
    innermost = list(_chain(error))[-1]
    lines = str(innermost).strip().splitlines()
    return lines[0] if lines else type(innermost).__name__


def _chain(error: BaseException) -> Iterator[BaseException]:
    """The error, the driver's error SQLAlchemy wraps, and what caused each."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        orig = getattr(current, "orig", None)
        current = orig if isinstance(orig, BaseException) else current.__cause__
