"""Whether the database DATABASE_URL names can be used, in one line, and making it.

Commands a developer runs (the development server, migrations, createdb, demo,
staff, the test suite) stop with one of these lines instead of a traceback; the
production server only logs it, and its readiness probe answers 503 until it is fixed.
"""

from __future__ import annotations

import logging
import math

from sqlalchemy import URL, create_engine, inspect, make_url, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

from .db import MIN_CONNECT_TIMEOUT
from .settings import Settings

logger = logging.getLogger(__name__)

MAINTENANCE_DATABASE = "postgres"
# A table of the first migration: without it nothing was migrated yet.
FIRST_TABLE = "users"
TEST_DATABASE_SUFFIX = "_test"
# What libpq says, and what the developer should do about it.
CONNECT_FAILURES = (
    ("connection refused", "connection refused"),
    ("timeout expired", "no answer in time"),
    ("could not translate host name", "unknown host"),
    ("name or service not known", "unknown host"),
    ("no such file or directory", "no server on that socket"),
)


class DatabaseUnavailable(Exception):
    """The database cannot be used; the message is one line that names the fix."""


def database_problem(settings: Settings, *, migrated: bool = False) -> str | None:
    """None when the database answers (and is `migrated`), else one line saying why not."""
    try:
        check_database(settings.sqlalchemy_url, settings.db_timeout_seconds, migrated=migrated)
    except DatabaseUnavailable as error:
        return str(error)
    return None


def require_database(settings: Settings, *, migrated: bool = False) -> None:
    """Stop the command with one line when the database cannot be used."""
    problem = database_problem(settings, migrated=migrated)
    if problem is not None:
        raise SystemExit(problem)


def warn_unless_database_answers(settings: Settings) -> None:
    problem = database_problem(settings)
    if problem is not None:
        logger.warning("%s (readiness answers 503 until it is fixed)", problem)


def check_database(url: str, timeout: float, *, migrated: bool = False) -> None:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database in (None, "", ":memory:"):
        return  # a new in-memory database each connection: nothing to check
    engine = create_engine(url, poolclass=NullPool, connect_args=_connect_args(url, timeout))
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            has_tables = inspect(connection).has_table(FIRST_TABLE)
    except SQLAlchemyError as error:
        raise DatabaseUnavailable(describe(error, parsed)) from None
    finally:
        engine.dispose()
    if migrated and not has_tables:
        name = parsed.database
        raise DatabaseUnavailable(
            f'DATABASE_URL: database "{name}" has no tables yet; run make migrate'
        )


def describe(error: BaseException, url: URL) -> str:
    """The one line for a failed connection to `url`."""
    message = str(getattr(error, "orig", None) or error)
    lowered = message.lower()
    if "does not exist" in lowered and url.database and f'"{url.database}"' in message:
        return f'DATABASE_URL: database "{url.database}" does not exist; run make db'
    address = f"{url.host or 'localhost'}:{url.port or 5432}"
    for clue, reason in CONNECT_FAILURES:
        if clue in lowered:
            return (
                f"DATABASE_URL: cannot connect to PostgreSQL at {address} ({reason}); "
                "start it or fix the address"
            )
    if "password authentication failed" in lowered or 'role "' in lowered:
        return (
            f"DATABASE_URL: PostgreSQL at {address} refused user {url.username!r}; "
            "fix the user or password"
        )
    first_line = message.strip().splitlines()[0] if message.strip() else type(error).__name__
    return f"DATABASE_URL: the database cannot be used ({first_line}); fix the setting"


def database_url_for_tests(url: str) -> str:
    """The database the test suite uses beside the one `url` names: <name>_test."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql" or not parsed.database:
        return url
    if parsed.database.endswith(TEST_DATABASE_SUFFIX):
        return url
    database = parsed.database + TEST_DATABASE_SUFFIX
    return parsed.set(database=database).render_as_string(hide_password=False)


def create_missing_databases(urls: list[str], timeout: float) -> list[str]:
    """CREATE DATABASE for each PostgreSQL database in `urls` that is missing; their names."""
    created = []
    for url in urls:
        parsed = make_url(url)
        if parsed.get_backend_name() != "postgresql" or not parsed.database:
            continue
        if _create_if_missing(parsed, timeout):
            created.append(parsed.database)
    return created


def _create_if_missing(url: URL, timeout: float) -> bool:
    admin_url = url.set(database=MAINTENANCE_DATABASE)
    engine = create_engine(
        admin_url,
        poolclass=NullPool,
        isolation_level="AUTOCOMMIT",
        connect_args=_connect_args(admin_url.render_as_string(), timeout),
    )
    name = url.database or ""
    try:
        with engine.connect() as connection:
            exists = connection.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
            ).first()
            if exists:
                return False
            quoted = connection.dialect.identifier_preparer.quote_identifier(name)
            connection.execute(text(f"CREATE DATABASE {quoted}"))
    except SQLAlchemyError as error:
        raise DatabaseUnavailable(describe(error, url)) from None
    finally:
        engine.dispose()
    return True


def _connect_args(url: str, timeout: float) -> dict[str, object]:
    if url.startswith("sqlite"):
        return {"timeout": timeout}
    return {"connect_timeout": max(MIN_CONNECT_TIMEOUT, math.ceil(timeout))}
