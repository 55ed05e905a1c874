"""The gunicorn worker of the live-updates render (see gunicorn.conf.py): uvicorn, tuned.

- HTTP and WebSockets in one event loop per process; Django's views run in threads.
- The ping interval and the largest client message come from the settings
  (LIVE_PING_SECONDS, LIVE_MESSAGE_MAX_BYTES: a larger message closes the socket, 1009).
- Proxy headers are left to the application (TRUSTED_PROXIES, core.middleware):
  uvicorn's own handling would believe 127.0.0.1 whatever the setting says.
- The 400 that uvicorn writes itself for a request it cannot parse carries the
  security headers of every other answer.
"""

from __future__ import annotations

from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn_worker import UvicornWorker as BaseUvicornWorker

SECURITY_HEADER_LINES = b"".join(
    [
        b"x-content-type-options: nosniff\r\n",
        b"x-frame-options: DENY\r\n",
        b"referrer-policy: same-origin\r\n",
    ]
)


KEEP_ALIVE_SECONDS = 75


class HttpToolsProtocolWithHeaders(HttpToolsProtocol):
    def send_400_response(self, msg: str) -> None:
        body = msg.encode("ascii", "replace")
        self.transport.write(
            b"HTTP/1.1 400 Bad Request\r\n"
            + SECURITY_HEADER_LINES
            + b"content-type: text/plain; charset=utf-8\r\n"
            + b"content-length: "
            + str(len(body)).encode("ascii")
            + b"\r\nconnection: close\r\n\r\n"
            + body
        )
        self.transport.close()


class UvicornWorker(BaseUvicornWorker):  # type: ignore[misc]  # uvicorn-worker is untyped
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Built here, not at import: the settings are loaded by then (preload_app).
        from django.conf import settings

        self.CONFIG_KWARGS = {
            "loop": "auto",
            "http": HttpToolsProtocolWithHeaders,
            "ws": "websockets-sansio",
            "ws_max_size": settings.LIVE_MESSAGE_MAX_BYTES,
            "ws_ping_interval": settings.LIVE_PING_SECONDS,
            "ws_ping_timeout": settings.LIVE_PING_SECONDS,
            "proxy_headers": False,
            # Longer than a load balancer keeps its idle connections (often 60 s), so that
            # the server never closes one just as a request arrives on it.
            "timeout_keep_alive": KEEP_ALIVE_SECONDS,
            "lifespan": "on",
            "server_header": False,
        }
        super().__init__(*args, **kwargs)
