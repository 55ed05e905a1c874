"""The PostgreSQL backend's client-side deadline, against the real server (PostgreSQL runs only)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.db.backends.postgresql import base
from django.test.utils import CaptureQueriesContext

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only"),
]


@pytest.fixture
def short_deadline() -> Iterator[None]:
    connection.ensure_connection()
    saved = connection.call_timeout  # type: ignore[attr-defined]
    connection.call_timeout = 0.3  # type: ignore[attr-defined]
    yield
    connection.call_timeout = saved  # type: ignore[attr-defined]


def test_a_query_that_does_not_answer_in_time_fails_and_drops_the_connection(
    short_deadline: None,
) -> None:
    started = time.monotonic()
    with pytest.raises(OperationalError, match="did not answer"), connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(3)")
    assert time.monotonic() - started < 2
    assert connection.connection is None
    with connection.cursor() as cursor:  # the next call connects afresh
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


def test_calls_within_the_deadline_pass(short_deadline: None) -> None:
    assert connection.is_usable()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    connection.set_autocommit(False)
    connection.commit()
    connection.rollback()
    connection.set_autocommit(True)


def test_the_server_has_a_statement_timeout() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone() == ("5s",)


def test_a_recently_used_connection_is_checked_without_a_query() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    with CaptureQueriesContext(connection) as queries:
        assert connection.is_usable()
    assert len(queries) == 0


def test_a_connection_the_server_ended_is_not_usable() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    other = connection.copy()
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    finally:
        other.close()
    deadline = time.monotonic() + 2
    while connection.is_usable() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not connection.is_usable()
    connection.close()


def test_an_idle_connection_is_checked_by_the_server() -> None:
    connection.ensure_connection()
    with mock.patch.object(base.DatabaseWrapper, "is_usable", return_value=False) as check:
        assert connection.is_usable()  # it has just answered
        connection.last_answered = float("-inf")  # type: ignore[attr-defined]
        assert not connection.is_usable()
    check.assert_called_once()
