"""GET /api/ws/articles: the WebSocket of live article events."""

from __future__ import annotations

import contextlib
import queue
import socket
import struct
import threading
from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, current_app, request
from flask_sock import Sock
from werkzeug.exceptions import Forbidden, ServiceUnavailable

from .hub import Connection, Hub

PATH = "/api/ws/articles"
POLICY_VIOLATION = 1008
# How often an idle connection looks for client messages to throw away.
IDLE_SECONDS = 0.5
# A client that takes no data for this long is dropped (its thread is needed).
SEND_TIMEOUT_SECONDS = 30
READER_EXIT_SECONDS = 1.0
SOCKET_KEYS = ("werkzeug.socket", "gunicorn.socket")

SCRIPT = "/live/static/live.js"

blp = Blueprint("live", __name__, static_folder="static", static_url_path="/live/static")
sock = Sock()


@blp.before_request
def _admit() -> None:
    """Refuse the handshake (403, 503) before the connection is upgraded."""
    if request.endpoint != "live.articles":
        return  # the page script
    if not _origin_allowed(request.headers.get("Origin"), request.host):
        raise Forbidden("This origin may not open live updates")
    if current_app.extensions["live"].hub.full:
        raise ServiceUnavailable("Too many live connections; try again later")
    for key in SOCKET_KEYS:
        if key in request.environ:
            request.environ[key] = GuardedSocket(request.environ[key])


@sock.route(PATH, bp=blp)
def articles(ws: Any) -> None:
    """Every article that becomes published, as {"type": "article.published", "article": ...}."""
    fanout = current_app.extensions["live"]
    fanout.start()
    hub: Hub = fanout.hub
    connection = hub.open()
    try:
        with contextlib.suppress(OSError):  # the client went away, or stopped reading
            _stream(ws, connection)
    finally:
        hub.close(connection)
        _wait_for_reader(ws)


def _origin_allowed(origin: str | None, host: str) -> bool:
    """No Origin (not a browser), the server's own host, or one of CORS_ORIGINS."""
    if origin is None:
        return True
    if urlsplit(origin).netloc.lower() == host.lower():
        return True
    allowed: tuple[str, ...] = current_app.extensions["settings"].cors_origins
    return origin.rstrip("/") in {item.rstrip("/") for item in allowed}


def _stream(ws: Any, connection: Connection) -> None:
    while ws.connected:
        if connection.overflowed:
            ws.close(reason=POLICY_VIOLATION, message="Too slow: events were dropped")
            return
        try:
            message = connection.queue.get(timeout=IDLE_SECONDS)
        except queue.Empty:
            _discard_client_messages(ws)
            continue
        ws.send(message)


def _discard_client_messages(ws: Any) -> None:
    while ws.receive(timeout=0) is not None:
        pass  # clients have nothing to say here; over 64 KiB closes with 1009


def _wait_for_reader(ws: Any) -> None:
    """The socket is closed by the connection's reader thread: let it finish before the server.

    The server must not keep or reuse a connection that stopped speaking HTTP.
    """
    ws.thread.join(READER_EXIT_SECONDS)
    if ws.thread.is_alive():
        with contextlib.suppress(OSError):
            ws.sock.shutdown(socket.SHUT_RDWR)  # wakes the reader up
        ws.thread.join(READER_EXIT_SECONDS)


class GuardedSocket:
    """The client socket, written whole by one thread at a time, giving up on a stuck client.

    The reader thread sends pings and pongs while the request thread sends events: frames
    must not interleave. A client that stops reading fills the buffers; after
    SEND_TIMEOUT_SECONDS the send fails and the connection is dropped.
    """

    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock
        self._lock = threading.Lock()
        timeout = struct.pack("ll", SEND_TIMEOUT_SECONDS, 0)
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDTIMEO, timeout)

    def send(self, data: bytes) -> int:
        with self._lock:
            self._sock.sendall(data)
        return len(data)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sock, name)
