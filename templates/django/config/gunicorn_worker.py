"""gunicorn's threaded worker, made to survive slow clients and to answer errors securely.

gunicorn's gthread worker hands every connection to a pool thread, which then
reads the request head with blocking reads: a few dozen clients that trickle
their headers in hold every thread, and the service stops answering. This
worker reads the head in its main loop instead, without blocking, within
HEAD_TIMEOUT_SECONDS and MAX_HEAD_BYTES, and gives a thread only connections
whose head has arrived (the bytes already read go back into gunicorn's parser).

The answers gunicorn writes itself (400, 414, 431 for a request it cannot
parse) carry the same security headers as the application's.
"""

from __future__ import annotations

import selectors
import time
from functools import partial
from typing import Any

from gunicorn import util
from gunicorn.http2 import negotiation
from gunicorn.workers.gthread import ThreadWorker

# A request head must arrive in full within this time...
HEAD_TIMEOUT_SECONDS = 10.0
# ...and within this size: nginx's default for its header buffers is 32 KiB.
MAX_HEAD_BYTES = 64 * 1024
RECEIVE_SIZE = 64 * 1024
SECURITY_HEADERS = "".join(
    f"{name}: {value}\r\n"
    for name, value in [
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        ("Referrer-Policy", "same-origin"),
    ]
)


def write_error(sock: Any, status_int: int, reason: str, mesg: str) -> None:
    """gunicorn's error answer, with the security headers and without echoing the request."""
    body = f"<!doctype html><title>{reason}</title><h1>{reason}</h1>\n"
    head = (
        f"HTTP/1.1 {status_int} {reason}\r\n"
        "Connection: close\r\n"
        "Content-Type: text/html; charset=utf-8\r\n"
        f"Content-Length: {len(body)}\r\n"
        f"{SECURITY_HEADERS}\r\n"
    )
    util.write_nonblock(sock, (head + body).encode("latin-1"))


class HeadReader:
    """The part of a request head received so far on one connection."""

    __slots__ = ("data", "deadline", "registered")

    def __init__(self, deadline: float) -> None:
        self.data = bytearray()
        self.deadline = deadline
        self.registered = False

    def receive(self, sock: Any) -> str:
        """Read what has arrived: WAIT for more, READY, TOO_LARGE, or GONE (closed or failed)."""
        try:
            chunk = sock.recv(RECEIVE_SIZE)
        except (BlockingIOError, InterruptedError):
            return WAIT
        except OSError:
            return GONE
        if not chunk:
            return GONE
        start = max(0, len(self.data) - 3)
        self.data += chunk
        if self.data.find(b"\r\n\r\n", start) >= 0 or self.data.find(b"\n\n", start) >= 0:
            return READY
        return TOO_LARGE if len(self.data) > MAX_HEAD_BYTES else WAIT


WAIT, READY, TOO_LARGE, GONE = "wait", "ready", "too large", "gone"


class Worker(ThreadWorker):  # type: ignore[misc]
    def init_process(self) -> None:
        self.heads: dict[Any, HeadReader] = {}
        # The one place gunicorn writes its own answers (see gunicorn/workers/base.py).
        util.write_error = write_error
        super().init_process()

    def enqueue_req(self, conn: Any) -> None:
        """Read the head without blocking first; a pool thread gets the connection once it came."""
        if not self._reads_head_first(conn):
            super().enqueue_req(conn)
            return
        conn.sock.setblocking(False)
        self.heads[conn] = HeadReader(time.monotonic() + HEAD_TIMEOUT_SECONDS)
        self._advance(conn)  # usually the whole head is there already

    def _reads_head_first(self, conn: Any) -> bool:
        if self.cfg.is_ssl or conn.is_http2:
            return False  # TLS must see the bytes first; HTTP/2 has no head to wait for
        if negotiation.prior_knowledge_allowed(self.cfg, conn.client):
            return False
        # Bytes already buffered (a pipelined request) are served from the buffer.
        return conn.parser is None or not conn.parser.unreader.buf.getvalue()

    def _advance(self, conn: Any, _sock: Any = None) -> None:
        head = self.heads[conn]
        outcome = head.receive(conn.sock)
        if outcome == WAIT:
            if not head.registered:
                self.poller.register(conn.sock, selectors.EVENT_READ, partial(self._advance, conn))
                head.registered = True
            return
        self._forget(conn)
        if outcome == READY:
            conn.head_bytes = bytes(head.data)
            conn.data_ready = True
            super().enqueue_req(conn)
            return
        if outcome == TOO_LARGE:
            write_error(conn.sock, 431, "Request Header Fields Too Large", "")
        self.nr_conns -= 1
        conn.close()

    def _forget(self, conn: Any) -> None:
        if self.heads.pop(conn).registered:
            self.poller.unregister(conn.sock)

    def handle(self, conn: Any) -> Any:
        head_bytes = getattr(conn, "head_bytes", b"")
        if head_bytes:
            conn.head_bytes = b""
            conn.sock.setblocking(True)
            conn.init()
            conn.parser.unreader.unread(head_bytes)
        return super().handle(conn)

    def murder_pending(self) -> None:
        """Also close connections whose head did not arrive in time (all of them when stopping)."""
        super().murder_pending()
        now = time.monotonic()
        for conn, head in list(self.heads.items()):
            if head.deadline <= now or not self.alive:
                self._forget(conn)
                self.nr_conns -= 1
                conn.close()
