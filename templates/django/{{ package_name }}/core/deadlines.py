"""Client-side deadlines for database calls: one watchdog thread per process.

A database server that is frozen (a hung host, a stuck volume) keeps its
sockets open and never answers, so neither its statement_timeout nor TCP ever
ends the wait. The watchdog shuts down the socket of a call that passed its
deadline: the driver's blocked read then fails at once, the request answers 503
and Django drops the broken connection. Registering a call costs a lock and a
dict entry, not a thread.
"""

from __future__ import annotations

import contextlib
import os
import socket
import threading
import time
from collections.abc import Iterator

CHECK_INTERVAL_SECONDS = 0.05


class Call:
    """One database call being watched; `expired` tells whether the watchdog cut it."""

    __slots__ = ("deadline", "expired", "fileno")

    def __init__(self, fileno: int, deadline: float) -> None:
        self.fileno = fileno
        self.deadline = deadline
        self.expired = False


class Watchdog:
    def __init__(self, interval: float = CHECK_INTERVAL_SECONDS) -> None:
        self.interval = interval
        self._lock = threading.Lock()
        self._calls: dict[int, Call] = {}
        self._owner_pid = 0

    @contextlib.contextmanager
    def watch(self, fileno: int, seconds: float) -> Iterator[Call]:
        """Cut the socket `fileno` if the block is still running after `seconds`."""
        self._start_once()
        call = Call(fileno, time.monotonic() + seconds)
        with self._lock:
            self._calls[id(call)] = call
        try:
            yield call
        finally:
            with self._lock:
                self._calls.pop(id(call), None)

    def _start_once(self) -> None:
        # Started lazily, and again in a forked child: threads do not survive fork().
        if self._owner_pid != os.getpid():
            with self._lock:
                if self._owner_pid != os.getpid():
                    thread = threading.Thread(target=self._run, name="db-deadlines", daemon=True)
                    thread.start()
                    self._owner_pid = os.getpid()

    def _run(self) -> None:
        while True:
            time.sleep(self.interval)
            self.expire(time.monotonic())

    def expire(self, now: float) -> None:
        # Under the lock: a call still registered is still running, so its socket is open.
        with self._lock:
            for key, call in list(self._calls.items()):
                if call.deadline <= now:
                    del self._calls[key]
                    call.expired = True
                    shut_down(call.fileno)


def shut_down(fileno: int) -> None:
    """Shut the socket down for both directions without closing the owner's descriptor."""
    try:
        number = os.dup(fileno)
    except OSError:
        return
    try:
        duplicate = socket.socket(fileno=number)
    except OSError:
        os.close(number)
        return
    with duplicate, contextlib.suppress(OSError):
        duplicate.shutdown(socket.SHUT_RDWR)


watchdog = Watchdog()
