"""Django's PostgreSQL backend, with every call to the server bounded in time.

The server's statement_timeout ends slow queries, and libpq's connect_timeout
slow connects; neither helps when the server is frozen. Each query, health
check, commit and rollback here runs under the process's watchdog, which cuts
the socket once DB_TIMEOUT_SECONDS pass (see core.deadlines).
"""

from __future__ import annotations

import select
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db import OperationalError
from django.db.backends.postgresql import base

from ..deadlines import watchdog

# A connection that answered this recently is taken as alive without a round trip
# (Django's health check would otherwise add a SELECT 1 to every request).
RECENTLY_ANSWERED_SECONDS = 1.0

Execute = Callable[[str, Any, bool, dict[str, Any]], Any]


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.call_timeout = float(settings.DB_TIMEOUT_SECONDS)
        self.last_answered = float("-inf")
        self.execute_wrappers.append(self._bounded_execute)

    @contextmanager
    def bounded(self) -> Iterator[None]:
        """Raise OperationalError, and drop the connection, when the server does not answer."""
        with watchdog.watch(self.connection.fileno(), self.call_timeout) as call:
            try:
                yield
            except Exception:
                if call.expired:
                    self._give_up()
                raise
        if call.expired:
            self._give_up()

    def _give_up(self) -> None:
        self.close()
        message = f"the database did not answer within {self.call_timeout:g} s"
        raise OperationalError(message)

    def _bounded_execute(
        self, execute: Execute, sql: str, params: Any, many: bool, context: dict[str, Any]
    ) -> Any:
        # bounded() inlined: this runs for every query.
        call = watchdog.start(self.connection.fileno(), self.call_timeout)
        try:
            result = execute(sql, params, many, context)
        except Exception:
            if call.expired:
                self._give_up()
            raise
        finally:
            watchdog.stop(call)
        self.last_answered = time.monotonic()
        return result

    def is_usable(self) -> bool:
        """SELECT 1, unless the connection answered within RECENTLY_ANSWERED_SECONDS.

        A recent connection still counts as dead when the server has written to it
        while idle: a server that ends a connection (restart, pg_terminate_backend,
        idle timeout) sends its error and closes the socket first.
        """
        if self.connection is None or self.connection.closed:
            return False
        if time.monotonic() - self.last_answered < RECENTLY_ANSWERED_SECONDS:
            return not has_input(self.connection.fileno())
        with self.bounded():
            return bool(super().is_usable())

    def close_if_unusable_or_obsolete(self) -> None:
        # Runs around requests (request_started / request_finished): never raise there.
        try:
            super().close_if_unusable_or_obsolete()
        except OperationalError:
            self.close()

    def init_connection_state(self) -> None:
        with self.bounded():
            super().init_connection_state()

    # _commit and _rollback are missing from django-stubs.
    def _commit(self) -> None:
        if self.connection is not None:
            with self.bounded():
                super()._commit()  # type: ignore[misc]

    def _rollback(self) -> None:
        if self.connection is not None:
            with self.bounded():
                super()._rollback()  # type: ignore[misc]


def has_input(fileno: int) -> bool:
    """Whether an idle connection's socket has bytes, an end of file or an error to read."""
    poller = select.poll()
    poller.register(fileno, select.POLLIN | select.POLLPRI)
    return bool(poller.poll(0))
