"""Reads run on asyncpg's own connection, past SQLAlchemy's execution and result layers.

For a read that returns plain rows, SQLAlchemy's async path (a greenlet switch per
statement, an execution context, a result object, a processor per column) costs more CPU
than the query itself. Here a statement built with SQLAlchemy is compiled once per
dialect, asyncpg prepares it once per connection and decodes the rows in C. Failures end
like the engine's own: a connection that timed out or broke is invalidated, driver errors
become SQLAlchemy's. Any other driver (SQLite) runs the statement the ordinary way.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from functools import lru_cache
from typing import Any, NamedTuple, NoReturn

from sqlalchemy import exc
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from sqlalchemy.pool import PoolProxiedConnection
from sqlalchemy.sql import Executable
from sqlalchemy.util import greenlet_spawn

# SQLAlchemy's RowMapping or asyncpg's Record: both are read by column name.
Row = Mapping[Any, Any]


class Compiled(NamedTuple):
    sql: str
    names: tuple[str, ...]
    # The values bound when the statement was built (literal(2), column == "x").
    values: Mapping[str, Any]

    def arguments(self, parameters: Mapping[str, Any]) -> list[Any]:
        return [parameters.get(name, self.values.get(name)) for name in self.names]


@lru_cache(maxsize=256)
def compiled(statement: Executable, dialect: Dialect) -> Compiled:
    """The SQL with $1, $2... placeholders and the parameter name behind each."""
    result = statement.compile(dialect=dialect)  # type: ignore[attr-defined]
    return Compiled(result.string, tuple(result.positiontup or ()), result.params)


class PooledConnection:
    """An asyncpg connection checked out of the engine's pool, without SQLAlchemy's Connection.

    Reads through this module never use what that Connection adds (transactions, execution
    events, results), and building it, then closing it in a task of its own, costs more CPU
    than the pool checkout itself. The pool's own rules still hold: its size, its timeout,
    the idle ping, invalidation.
    """

    def __init__(self, proxied: PoolProxiedConnection, dialect: Dialect) -> None:
        self.proxied = proxied
        self.dialect = dialect

    @property
    def invalidated(self) -> bool:
        return not self.proxied.is_valid

    async def invalidate(self, exception: BaseException | None = None) -> None:
        await greenlet_spawn(self.proxied.invalidate, exception)


# What the reads below run on: a connection of a session or an engine, or a pooled one.
ReadConnection = AsyncConnection | PooledConnection


@asynccontextmanager
async def connect(engine: AsyncEngine) -> AsyncIterator[ReadConnection]:
    """A connection for reads outside any session, back in the pool on leaving."""
    if engine.dialect.driver != "asyncpg":
        async with engine.connect() as connection:
            yield connection
        return
    pooled = PooledConnection(await _checkout(engine), engine.dialect)
    try:
        yield pooled
    finally:
        await greenlet_spawn(pooled.proxied.close)


async def _checkout(engine: AsyncEngine) -> PoolProxiedConnection:
    dialect = engine.dialect
    try:
        return await engine.raw_connection()
    except dialect.loaded_dbapi.Error as error:
        # What engine.connect() would raise: SQLAlchemy's class for the driver's error.
        raise exc.DBAPIError.instance(
            None, None, error, dialect.loaded_dbapi.Error, dialect=dialect
        ) from error


async def fetch_all(
    connection: ReadConnection, statement: Executable, parameters: Mapping[str, Any]
) -> Sequence[Row]:
    if isinstance(connection, PooledConnection):
        driver: Any = connection.proxied.driver_connection
    elif connection.dialect.driver == "asyncpg":
        driver = (await connection.get_raw_connection()).driver_connection
    else:
        return (await connection.execute(statement, parameters)).mappings().all()
    query = compiled(statement, connection.dialect)
    try:
        rows: Sequence[Row] = await driver.fetch(query.sql, *query.arguments(parameters))
    except Exception as error:
        await _fail(connection, driver, query.sql, error)
    return rows


async def fetch_value(
    connection: ReadConnection, statement: Executable, parameters: Mapping[str, Any]
) -> Any:
    """The first column of the first row."""
    rows = await fetch_all(connection, statement, parameters)
    return next(iter(rows[0].values())) if rows else None


async def _fail(connection: ReadConnection, driver: Any, sql: str, error: Exception) -> NoReturn:
    import asyncpg  # installed with PostgreSQL only

    if isinstance(error, TimeoutError) or driver.is_closed():
        # Mid-conversation with a server that may be hung: never hand it out again.
        await connection.invalidate(error)
    if isinstance(error, asyncpg.InterfaceError):
        raise exc.InterfaceError(sql, None, error) from error
    if isinstance(error, asyncpg.PostgresError):
        raise exc.DBAPIError(sql, None, error) from error
    raise error
