"""Django's PostgreSQL backend, with every call to the server bounded in time.

The server's statement_timeout ends slow queries, and libpq's connect_timeout
slow connects; neither helps when the server is frozen. Each query, health
check, commit and rollback here runs under the process's watchdog, which cuts
the socket once DB_TIMEOUT_SECONDS pass (see core.deadlines).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db import OperationalError
from django.db.backends.postgresql import base

from ..deadlines import watchdog

Execute = Callable[[str, Any, bool, dict[str, Any]], Any]


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.call_timeout = float(settings.DB_TIMEOUT_SECONDS)
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
            return execute(sql, params, many, context)
        except Exception:
            if call.expired:
                self._give_up()
            raise
        finally:
            watchdog.stop(call)

    def is_usable(self) -> bool:
        if self.connection is None:
            return False
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
