"""The ASGI application with live updates: HTTP to Django, WebSockets to the consumers."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from channels.generic.websocket import AsyncWebsocketConsumer
from channels.routing import ProtocolTypeRouter, URLRouter
from django.conf import settings
from django.http.request import split_domain_port, validate_host
from django.urls import path, re_path

from ..core.asgi import ASGIApp, Receive, Scope, Send
from .consumers import ArticlesConsumer
from .hub import hub

logger = logging.getLogger(__name__)


class NoSuchSocket(AsyncWebsocketConsumer):  # type: ignore[misc]  # channels is untyped
    """Any other WebSocket path: the handshake is refused (403)."""

    async def connect(self) -> None:
        await self.close()


def with_live_updates(http: ASGIApp) -> ASGIApp:
    sockets = URLRouter(
        [
            path("api/ws/articles", ArticlesConsumer.as_asgi()),
            re_path(r"", NoSuchSocket.as_asgi()),
        ]
    )
    application: ASGIApp = ProtocolTypeRouter(
        {"http": http, "websocket": OriginCheck(sockets), "lifespan": lifespan}
    )
    return application


class OriginCheck:
    """Refuse (403) a handshake from a browser page of another origin.

    Allowed: no Origin (clients that are not browsers), an Origin whose host[:port]
    is the request's Host, or one listed in CORS_ORIGINS. The Host itself must be
    one of ALLOWED_HOSTS, as for HTTP.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = {name.lower(): value.decode("latin-1") for name, value in scope["headers"]}
        if not handshake_allowed(headers.get(b"origin"), headers.get(b"host", "")):
            await receive()  # websocket.connect
            await send({"type": "websocket.close"})  # before accepting: the server answers 403
            return
        await self.app(scope, receive, send)


def handshake_allowed(origin: str | None, host: str) -> bool:
    domain, _ = split_domain_port(host)
    if not domain or not validate_host(domain, settings.ALLOWED_HOSTS):
        return False
    if origin is None:
        return True
    if urlsplit(origin).netloc.lower() == host.lower():
        return True
    listed = {allowed.rstrip("/").lower() for allowed in settings.CORS_ALLOWED_ORIGINS}
    return origin.rstrip("/").lower() in listed


async def lifespan(scope: Scope, receive: Receive, send: Send) -> None:
    """Each worker process, at start and stop: the fan-out's subscription, and one log line."""
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            hub.start()
            if not settings.REDIS_URL:
                logger.warning(
                    "live updates: REDIS_URL is not set; only clients of this process "
                    "receive events"
                )
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await hub.stop()
            await send({"type": "lifespan.shutdown.complete"})
            return
