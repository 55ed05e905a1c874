"""ASGI-level pieces that Django cannot do itself: a bound on every request body.

Django's ASGI handler reads a whole body, however large, before any middleware
runs. BoundedBodies reads at most `limit` + 1 bytes of it: a body past the limit
(declared or chunked) reaches core.middleware.BodySizeLimitMiddleware with a
length over the limit, and gets its 413 there like any other. Paths that `larger`
names have their own limit, as in core.middleware.body_size_limit.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from .bodies import limit_for

Scope = dict[str, Any]
Message = Mapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class BoundedBodies:
    def __init__(
        self, app: ASGIApp, *, limit: int, larger: Mapping[str, int] | None = None
    ) -> None:
        self.app = app
        self.limit = limit
        self.larger = larger or {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = limit_for(str(scope.get("path", "")), general=self.limit, larger=self.larger)
        declared = declared_length(scope)
        if declared is not None and declared > limit:
            body, length = b"", declared  # refused unread
        else:
            body = await read_at_most(receive, limit + 1)
            length = len(body)
        headers = [(n, v) for n, v in scope["headers"] if n not in (b"content-length",)]
        scope = {**scope, "headers": [*headers, (b"content-length", str(length).encode())]}
        await self.app(scope, replay(body, receive), send)


def declared_length(scope: Scope) -> int | None:
    for name, value in scope["headers"]:
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def read_at_most(receive: Receive, size: int) -> bytes:
    """The body's first `size` bytes (all of it when shorter); stops reading there."""
    chunks: list[bytes] = []
    received = 0
    while received < size:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunk = message.get("body", b"")
        chunks.append(chunk)
        received += len(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)[:size]


def replay(body: bytes, receive: Receive) -> Receive:
    """The body as one message; after it, only what is not body (the client's disconnect).

    Django takes any body message after the last one for a broken server, so the
    unread rest of a body that was too large is received and dropped here.
    """
    sent = False

    async def receive_again() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return message

    return receive_again
