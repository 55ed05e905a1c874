"""DATABASE_URL mistakes become one line: what is wrong and what to do."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import OperationalError, connections

from config import database
from config.database import DatabaseURLError, check_url, explain

POSTGRESQL = {"ENGINE": "x.core.postgresql", "HOST": "db.internal", "PORT": 5999, "USER": "app"}
SQLITE = {"ENGINE": "django.db.backends.sqlite3", "NAME": "/nowhere/db.sqlite3"}


@pytest.mark.parametrize(
    ("url", "line"),
    [
        ("mysql://u@h/x", "DATABASE_URL: mysql is not supported; use sqlite:///path"),
        ("db.sqlite3", "DATABASE_URL: 'db.sqlite3' is not a database URL; use sqlite:///path"),
    ],
)
def test_unsupported_urls_are_refused(url: str, line: str) -> None:
    with pytest.raises(DatabaseURLError) as refused:
        check_url(url)
    assert str(refused.value.code).startswith(line)


def test_postgresql_without_its_driver_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("importlib.util.find_spec", lambda name: None)
    with pytest.raises(DatabaseURLError, match="needs the psycopg driver; run make setup"):
        check_url("postgresql://app@db/blog")
    check_url("sqlite:///db.sqlite3")


@pytest.mark.parametrize(
    ("error", "line"),
    [
        (
            'connection failed: port 5999 failed: FATAL:  database "blog" does not exist',
            'DATABASE_URL: database "blog" does not exist; run make db',
        ),
        (
            "connection failed: port 5999 failed: Connection refused\n\tIs the server running?",
            "DATABASE_URL: cannot connect to PostgreSQL at db.internal:5999 (connection refused); "
            "start it or fix the address",
        ),
        ("timeout expired", "(no answer)"),
        ("the database did not answer within 5 s", "(no answer)"),
        ('could not translate host name "db.internal"', "(unknown host)"),
        ("connection to server on socket: No such file or directory", "(no local socket)"),
        ('FATAL:  password authentication failed for user "app"', "refused user app"),
        ('FATAL:  role "app" does not exist', "refused user app"),
    ],
)
def test_connection_failures_are_explained(error: str, line: str) -> None:
    explained = explain(OperationalError(error), POSTGRESQL)
    assert explained is not None
    assert line in explained
    assert "\n" not in explained


def test_other_failures_are_left_alone() -> None:
    assert explain(OperationalError("deadlock detected"), POSTGRESQL) is None
    assert explain(OperationalError("disk I/O error"), SQLITE) is None
    assert explain(OperationalError("unable to open database file"), SQLITE) == (
        "DATABASE_URL: cannot open the SQLite file /nowhere/db.sqlite3; fix the path"
    )


def test_one_line_errors_turn_connection_failures_into_an_exit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(database, "explain", lambda error, settings: f"DATABASE_URL: {error}")
    with pytest.raises(SystemExit, match="DATABASE_URL: refused"), database.one_line_errors():
        raise OperationalError("refused")
    monkeypatch.setattr(database, "explain", lambda error, settings: None)
    with pytest.raises(OperationalError, match="deadlock"), database.one_line_errors():
        raise OperationalError("deadlock detected")


def test_unexplained_failures_keep_their_first_line() -> None:
    line = database.unexplained(OperationalError("something odd\nDETAIL: more"))
    assert line == (
        "DATABASE_URL: cannot connect (something odd); check the address and the credentials"
    )


@pytest.mark.django_db
def test_a_reachable_database_has_no_problem() -> None:
    assert database.connection_problem() is None
    database.require_database()
    assert database.server_problem() is None


def test_an_unreachable_database_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    connection = connections["default"]

    def refuse(*args: Any) -> None:
        raise OperationalError("Connection refused")

    monkeypatch.setattr(connection, "ensure_connection", refuse)
    problem = database.connection_problem()
    assert problem is not None
    assert problem.startswith("DATABASE_URL: ")
    with pytest.raises(SystemExit, match="DATABASE_URL: "):
        database.require_database()
