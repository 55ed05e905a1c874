"""Reads run on asyncpg's own connection, past SQLAlchemy's execution and result layers.

For a read that returns plain rows, SQLAlchemy's async path (a greenlet switch per
statement, an execution context, a result object, a processor per column) costs more CPU
than the query itself. Here a statement built with SQLAlchemy is compiled once per
dialect, asyncpg prepares it once per connection and decodes the rows in C. Failures end
like the engine's own: a connection that timed out or broke is invalidated, driver errors
become SQLAlchemy's. Any other driver (SQLite) runs the statement the ordinary way.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any, NamedTuple, NoReturn

from sqlalchemy import exc
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql import Executable

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


async def fetch_all(
    connection: AsyncConnection, statement: Executable, parameters: Mapping[str, Any]
) -> Sequence[Row]:
    if connection.dialect.driver != "asyncpg":
        return (await connection.execute(statement, parameters)).mappings().all()
    query = compiled(statement, connection.dialect)
    driver: Any = (await connection.get_raw_connection()).driver_connection
    try:
        rows: Sequence[Row] = await driver.fetch(query.sql, *query.arguments(parameters))
    except Exception as error:
        await _fail(connection, driver, query.sql, error)
    return rows


async def fetch_value(
    connection: AsyncConnection, statement: Executable, parameters: Mapping[str, Any]
) -> Any:
    """The first column of the first row."""
    rows = await fetch_all(connection, statement, parameters)
    return next(iter(rows[0].values())) if rows else None


async def _fail(connection: AsyncConnection, driver: Any, sql: str, error: Exception) -> NoReturn:
    import asyncpg  # installed with PostgreSQL only

    if isinstance(error, TimeoutError) or driver.is_closed():
        # Mid-conversation with a server that may be hung: never hand it out again.
        await connection.invalidate(error)
    if isinstance(error, asyncpg.InterfaceError):
        raise exc.InterfaceError(sql, None, error) from error
    if isinstance(error, asyncpg.PostgresError):
        raise exc.DBAPIError(sql, None, error) from error
    raise error
