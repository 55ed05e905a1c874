"""The gunicorn worker: gthread, hardened against slow clients and bare error pages.

gunicorn's gthread worker hands a connection to a pool thread as soon as its first
byte arrives, and the thread then waits, blocking, for the rest of the request head:
a few dozen clients that trickle their headers hold every thread. This worker reads
the head in its event loop instead (non-blocking, up to HEAD_LIMIT bytes and
HEAD_TIMEOUT seconds) and hands the connection on with the bytes already read.

The answers gunicorn writes itself (400, 414, 431 from its parser) carry the same
security headers as the application's.
"""

from __future__ import annotations

import contextlib
import errno
import selectors
import time
from collections.abc import Mapping
from functools import partial
from typing import Any

from gunicorn.workers.gthread import TConn, ThreadWorker

from .security import STATIC_HEADERS

HEAD_LIMIT = 64 * 1024
HEAD_TIMEOUT = 10.0
END_OF_HEAD = b"\r\n\r\n"
IGNORED_ACCEPT_ERRORS = frozenset({errno.EAGAIN, errno.EWOULDBLOCK, errno.ECONNABORTED})


class Worker(ThreadWorker):  # type: ignore[misc]
    """gunicorn's gthread worker that reads request heads in its event loop."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.reading_heads: dict[Any, tuple[bytearray, float]] = {}

    def accept(self, listener: Any) -> None:
        if self.cfg.is_ssl:  # TLS bytes cannot be read ahead here
            super().accept(listener)
            return
        try:
            sock, client = listener.accept()
        except OSError as error:
            if error.errno not in IGNORED_ACCEPT_ERRORS:
                raise
            return
        self.nr_conns += 1
        self._read_head(TConn(self.cfg, sock, client, listener.getsockname()))

    def on_client_socket_readable(self, conn: Any, client: Any) -> None:
        """A kept-alive connection sends its next request: read its head here too."""
        if self.cfg.is_ssl:
            super().on_client_socket_readable(conn, client)
            return
        self.poller.unregister(client)
        self.keepalived_conns.remove(conn)
        self._read_head(conn)

    def _read_head(self, conn: Any) -> None:
        conn.sock.setblocking(False)
        self.reading_heads[conn] = (bytearray(), time.monotonic() + HEAD_TIMEOUT)
        # A kept-alive connection was just reported readable, so its head has usually
        # arrived: read it now, and wait in the event loop only for what is missing
        # (two epoll calls and a turn of the loop less per request).
        self._on_head_data(conn, registered=False)

    def _on_head_data(self, conn: Any, _sock: Any = None, *, registered: bool = True) -> None:
        try:
            data = conn.sock.recv(HEAD_LIMIT)
        except BlockingIOError:
            data = None
        except OSError:
            data = b""
        if data == b"":
            self._drop(conn)
            return
        head, _deadline = self.reading_heads[conn]
        head += data or b""
        if END_OF_HEAD in head or len(head) >= HEAD_LIMIT:
            # Complete (or too large: the parser answers 431/414 with the bytes it has).
            if registered:
                self.poller.unregister(conn.sock)
            del self.reading_heads[conn]
            conn.read_ahead = bytes(head)
            conn.data_ready = True
            super().enqueue_req(conn)
        elif not registered:
            self.poller.register(conn.sock, selectors.EVENT_READ, partial(self._on_head_data, conn))

    def handle(self, conn: Any) -> Any:
        read_ahead = getattr(conn, "read_ahead", b"")
        if read_ahead:
            conn.read_ahead = b""
            conn.sock.setblocking(True)
            conn.init()
            conn.parser.unreader.unread(read_ahead)
        return super().handle(conn)

    def murder_pending(self) -> None:
        super().murder_pending()
        now = time.monotonic()
        for conn, (_head, deadline) in list(self.reading_heads.items()):
            if deadline <= now or not self.alive:
                self._drop(conn)

    def _drop(self, conn: Any) -> None:
        self.reading_heads.pop(conn, None)
        with contextlib.suppress(KeyError, ValueError, OSError):
            self.poller.unregister(conn.sock)
        self.nr_conns -= 1
        conn.close()

    def finish_request(self, conn: Any, fs: Any) -> None:
        if conn.sock.fileno() < 0:
            # The application took the connection over (an upgrade) and closed it:
            # nothing to keep alive or close again, only to count.
            self.nr_conns -= 1
            return
        super().finish_request(conn, fs)

    def handle_error(self, req: Any, client: Any, addr: Any, exc: BaseException) -> None:
        super().handle_error(req, SecureErrorSocket(client, STATIC_HEADERS), addr, exc)


class SecureErrorSocket:
    """A socket as gunicorn's error writer sees it: its answer gains the security headers."""

    def __init__(self, sock: Any, headers: Mapping[str, str]) -> None:
        self._sock = sock
        self._lines = "".join(f"{name}: {value}\r\n" for name, value in headers.items()).encode()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sock, name)

    def sendall(self, data: bytes) -> None:
        status, separator, rest = bytes(data).partition(b"\r\n")
        self._sock.sendall(status + separator + self._lines + rest if separator else data)

    def send(self, data: bytes) -> int:
        self.sendall(data)
        return len(data)
