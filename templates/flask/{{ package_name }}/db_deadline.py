"""A client-side deadline for PostgreSQL calls.

statement_timeout is enforced by the server: a frozen or unreachable server never
enforces it, and the socket of a connection stays open, so a query would wait
forever. One thread per process watches the calls in flight and shuts the socket
of any call past its deadline down; the call then fails at once (and SQLAlchemy
drops that connection). Registering a call is a dict write, nothing more.
"""

from __future__ import annotations

import contextlib
import logging
import os
import select
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.engine import Connection, ExceptionContext
from sqlalchemy.exc import DisconnectionError

logger = logging.getLogger(__name__)

TICK_SECONDS = 0.1


class DatabaseTimeout(Exception):
    """The database did not answer in time."""


class Watchdog:
    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self._calls: dict[int, tuple[float, Any]] = {}
        self._expired: set[int] = set()
        self._pid = 0
        self._lock = threading.Lock()

    def start(self, dbapi_connection: Any) -> None:
        if self._pid != os.getpid():
            self._start_thread()  # first call in this (possibly forked) process
        self._calls[id(dbapi_connection)] = (time.monotonic() + self.timeout, dbapi_connection)

    def stop(self, dbapi_connection: Any) -> bool:
        """Forget the call; True when the watchdog had to cut it."""
        key = id(dbapi_connection)
        self._calls.pop(key, None)
        if key in self._expired:
            self._expired.discard(key)
            return True
        return False

    @contextlib.contextmanager
    def watching(self, dbapi_connection: Any) -> Iterator[None]:
        self.start(dbapi_connection)
        try:
            yield
        finally:
            self.stop(dbapi_connection)

    def _start_thread(self) -> None:
        with self._lock:
            if self._pid == os.getpid():
                return
            self._calls.clear()
            self._expired.clear()
            threading.Thread(target=self._run, name="db-deadline", daemon=True).start()
            self._pid = os.getpid()

    def _run(self) -> None:
        while True:
            time.sleep(TICK_SECONDS)
            now = time.monotonic()
            for key, (deadline, dbapi_connection) in list(self._calls.items()):
                if deadline <= now and self._calls.pop(key, None) is not None:
                    self._expired.add(key)
                    _cut(dbapi_connection)


def _cut(dbapi_connection: Any) -> None:
    logger.warning("A database call passed its deadline: closing its connection")
    with (
        contextlib.suppress(OSError, ValueError, AttributeError),
        socket.socket(fileno=os.dup(dbapi_connection.fileno())) as sock,
    ):
        sock.shutdown(socket.SHUT_RDWR)


def watch_engine(engine: Engine, watchdog: Watchdog) -> None:
    """Every statement, commit and rollback runs under the deadline."""
    event.listen(engine, "checkout", _refuse_closed)
    event.listen(engine, "before_cursor_execute", _before_execute(watchdog))
    event.listen(engine, "after_cursor_execute", _after_execute(watchdog))
    event.listen(engine, "handle_error", _on_error(watchdog))
    for name in ("commit", "rollback"):
        event.listen(engine, name, _before_transaction_end(watchdog))
    event.listen(engine, "reset", lambda dbapi_connection, *_: watchdog.start(dbapi_connection))
    event.listen(engine, "checkin", lambda dbapi_connection, *_: watchdog.stop(dbapi_connection))


def _refuse_closed(dbapi_connection: Any, *_: object) -> None:
    """A pooled connection the server has closed is replaced (SQLAlchemy reconnects once).

    This replaces a SELECT 1 ping (pool_pre_ping), which costs a round trip per request:
    an idle connection has nothing to read unless the server closed it (a restart, an
    idle timeout, pg_terminate_backend), so a socket that is readable now is stale. A
    server that froze or vanished without a word is caught by the first statement's
    deadline instead, as the ping would have been.
    """
    socket_of = getattr(dbapi_connection, "fileno", None)
    if socket_of is None:
        return  # a driver without a socket (SQLite)
    try:
        fileno = socket_of()
    except Exception as error:  # closed: psycopg raises OperationalError here
        raise DisconnectionError from error
    if fileno < 0:
        raise DisconnectionError("this connection is closed")
    poller = select.poll()
    poller.register(fileno, select.POLLIN)
    if poller.poll(0):
        raise DisconnectionError("the server closed this connection")


def _before_execute(watchdog: Watchdog) -> Any:
    def before(_conn: Connection, cursor: Any, *_: Any) -> None:
        watchdog.start(cursor.connection)

    return before


def _after_execute(watchdog: Watchdog) -> Any:
    def after(_conn: Connection, cursor: Any, *_: Any) -> None:
        watchdog.stop(cursor.connection)

    return after


def _on_error(watchdog: Watchdog) -> Any:
    def on_error(context: ExceptionContext) -> None:
        cursor = getattr(context.execution_context, "cursor", None)
        if cursor is not None:
            watchdog.stop(cursor.connection)

    return on_error


def _before_transaction_end(watchdog: Watchdog) -> Any:
    def before(conn: Connection) -> None:
        if conn.invalidated:
            return  # its socket is gone already: nothing to wait for, nothing to watch
        # Cleared by the next statement or when the connection goes back to the pool.
        watchdog.start(conn.connection.dbapi_connection)

    return before
