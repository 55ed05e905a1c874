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
        self._running = False
        # Threads do not survive fork() (gunicorn's workers): start again in the child.
        os.register_at_fork(after_in_child=self._after_fork)

    def start(self, fileno: int, seconds: float) -> Call:
        """Watch a call on socket `fileno` that must end within `seconds`; stop() it after."""
        if not self._running:
            self._start_thread()
        call = Call(fileno, time.monotonic() + seconds)
        with self._lock:
            self._calls[id(call)] = call
        return call

    def stop(self, call: Call) -> None:
        with self._lock:
            self._calls.pop(id(call), None)

    @contextlib.contextmanager
    def watch(self, fileno: int, seconds: float) -> Iterator[Call]:
        call = self.start(fileno, seconds)
        try:
            yield call
        finally:
            self.stop(call)

    def _start_thread(self) -> None:
        with self._lock:
            if not self._running:
                threading.Thread(target=self._run, name="db-deadlines", daemon=True).start()
                self._running = True

    def _after_fork(self) -> None:
        self._lock = threading.Lock()
        self._calls = {}
        self._running = False

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
