"""What a wrong DATABASE_URL looks like to the person running a command: one line.

Each line names the setting, what is wrong and what to do, in the shape
`DATABASE_URL: <what>; <fix>`, instead of a driver's traceback.
"""

from __future__ import annotations

import contextlib
import importlib.util
import re
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import urlsplit

SUPPORTED_SCHEMES = frozenset({"sqlite", "postgres", "postgresql"})
USAGE = "use sqlite:///path or postgresql://user@host:port/name"
MAINTENANCE_DATABASE = "postgres"


class DatabaseURLError(SystemExit):
    """A database the process cannot work with; stops it with its one line.

    A SystemExit, not Django's ImproperlyConfigured, because the settings are
    imported by manage.py, gunicorn and pytest alike, and only a SystemExit
    passes all three without a traceback.
    """

    def __init__(self, problem: str) -> None:
        super().__init__(f"DATABASE_URL: {problem}")


def check_url(url: str) -> None:
    """Refuse a scheme the starter does not support, or PostgreSQL without its driver."""
    scheme = urlsplit(url).scheme.split("+", 1)[0].lower()
    if not scheme:
        raise DatabaseURLError(f"{url!r} is not a database URL; {USAGE}")
    if scheme not in SUPPORTED_SCHEMES:
        raise DatabaseURLError(f"{scheme} is not supported; {USAGE}")
    if scheme != "sqlite" and importlib.util.find_spec("psycopg") is None:
        raise DatabaseURLError("PostgreSQL needs the psycopg driver; run make setup")


def explain(error: Exception, database: Mapping[str, Any]) -> str | None:
    """The one line for a failed connection to `database` (Django's settings), else None."""
    text = str(error)
    if database["ENGINE"].endswith("sqlite3"):
        if "unable to open database file" in text:
            return f"DATABASE_URL: cannot open the SQLite file {database['NAME']}; fix the path"
        return None
    address = f"{database.get('HOST') or 'localhost'}:{database.get('PORT') or 5432}"
    if missing := re.search(r'database "([^"]*)" does not exist', text):
        return f'DATABASE_URL: database "{missing[1]}" does not exist; run make db'
    if reason := _unreachable(text):
        return (
            f"DATABASE_URL: cannot connect to PostgreSQL at {address} ({reason}); "
            "start it or fix the address"
        )
    if "password authentication failed" in text or re.search(r'role "[^"]*" does not', text):
        user = database.get("USER") or "(none)"
        return f"DATABASE_URL: PostgreSQL at {address} refused user {user}; fix user or password"
    return None


def _unreachable(text: str) -> str | None:
    if "Connection refused" in text:
        return "connection refused"
    if "timeout expired" in text or "did not answer" in text:
        return "no answer"
    if "translate host name" in text or "Name or service not known" in text:
        return "unknown host"
    if "No such file or directory" in text:
        return "no local socket"
    return None


@contextlib.contextmanager
def one_line_errors(alias: str = "default") -> Iterator[None]:
    """Turn a connection failure of the `alias` database inside the block into its one line."""
    from django.db import OperationalError, connections

    try:
        yield
    except OperationalError as error:
        message = explain(error, connections[alias].settings_dict)
        if message is None:
            raise
        raise SystemExit(message) from None


def connection_problem(alias: str = "default") -> str | None:
    """Connect once; the one line saying why that failed, or None. The connection is closed."""
    from django.db import OperationalError, connections

    connection = connections[alias]
    try:
        connection.ensure_connection()
    except OperationalError as error:
        return explain(error, connection.settings_dict) or unexplained(error)
    finally:
        connection.close()
    return None


def require_database(alias: str = "default") -> None:
    """Stop the process with the one line when the database cannot be reached."""
    if (problem := connection_problem(alias)) is not None:
        raise SystemExit(problem)


def server_problem(alias: str = "default") -> str | None:
    """For PostgreSQL, why its server (the maintenance database) cannot be reached, or None."""
    from django.db import connections

    connection = connections[alias]
    if connection.vendor != "postgresql":
        return None
    try:
        maintenance_connection(connection.settings_dict).close()
    except Exception as error:  # psycopg's errors: the driver is imported only for PostgreSQL
        return explain(error, connection.settings_dict) or unexplained(error)
    return None


def unexplained(error: Exception) -> str:
    reason = (str(error).strip().splitlines() or [type(error).__name__])[0]
    return f"DATABASE_URL: cannot connect ({reason}); check the address and the credentials"


def maintenance_connection(database: Mapping[str, Any]) -> Any:
    """An autocommit psycopg connection to the server's `postgres` database."""
    import psycopg

    options = dict(database.get("OPTIONS") or {})
    options.pop("options", None)  # the statement timeout is for the application's queries
    return psycopg.connect(
        dbname=MAINTENANCE_DATABASE,
        user=database.get("USER") or None,
        password=database.get("PASSWORD") or None,
        host=database.get("HOST") or None,
        port=database.get("PORT") or None,
        autocommit=True,
        **options,
    )
