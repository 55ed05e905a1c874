"""Pure ASGI middleware (no BaseHTTPMiddleware: it costs a task and a copy per request)."""

from __future__ import annotations

import json
import logging
import re
import secrets
from collections.abc import Sequence

from starlette.middleware.httpsredirect import HTTPSRedirectMiddleware as RedirectEverything
from starlette.types import ASGIApp, Message, Receive, Scope, Send

logger = logging.getLogger(__name__)

REQUEST_ID_PATTERN = re.compile(r"[A-Za-z0-9._:/+=@-]{1,128}")
HSTS_VALUE = b"max-age=31536000; includeSubDomains"
# Load balancers and the image's HEALTHCHECK probe over plain HTTP.
PLAIN_HTTP_PATHS = ("/api/health",)
SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
)


def _header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope["headers"]:
        if key == name:
            return bytes(value)
    return None


async def send_json(
    send: Send,
    status: int,
    payload: object,
    *,
    extra_headers: Sequence[tuple[bytes, bytes]] = (),
) -> None:
    body = json.dumps(payload, separators=(",", ":")).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        *extra_headers,
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class SecurityHeadersMiddleware:
    """Security headers and an X-Request-ID on every response, a bare 500 on a crash."""

    def __init__(self, app: ASGIApp, *, hsts: bool) -> None:
        self.app = app
        self.headers = list(SECURITY_HEADERS)
        if hsts:
            self.headers.append((b"strict-transport-security", HSTS_VALUE))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = (_header(scope, b"x-request-id") or b"").decode("latin-1")
        request_id = incoming if REQUEST_ID_PATTERN.fullmatch(incoming) else secrets.token_hex(16)
        scope.setdefault("state", {})["request_id"] = request_id
        extra_headers = [*self.headers, (b"x-request-id", request_id.encode())]
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message["headers"] = [*message.get("headers", ()), *extra_headers]
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            logger.exception("unhandled error (request id %s)", request_id)
            if started:  # too late for a clean answer: let the server drop the connection
                raise
            await send_json(send_with_headers, 500, {"detail": "Internal Server Error"})


class BodySizeLimitMiddleware:
    """413 for a body over the limit, whether declared by Content-Length or streamed (chunked).

    The 413 says `Connection: close`: the rest of the body is never read.
    """

    def __init__(self, app: ASGIApp, *, max_body_size: int) -> None:
        self.app = app
        self.max_body_size = max_body_size

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared, streamed = _body_headers(scope)
        if declared is not None and declared.isdigit() and int(declared) > self.max_body_size:
            await _too_large(send)
            return
        if not streamed:
            # Without Transfer-Encoding the server reads exactly Content-Length bytes, or
            # none: there is nothing left to count (and no wrapper to pay for on each GET).
            await self.app(scope, receive, send)
            return
        received = 0
        refused = started = False

        async def limited_receive() -> Message:
            nonlocal received, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body_size:
                    refused = True
                    if not started:
                        await _too_large(send)
                    # To the application the client is gone; what it answers is dropped.
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if refused:
                return
            started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, guarded_send)
        except Exception:
            if not refused:
                raise


def _body_headers(scope: Scope) -> tuple[bytes | None, bool]:
    """Content-Length, and whether Transfer-Encoding says the body comes in chunks."""
    declared, streamed = None, False
    for key, value in scope["headers"]:
        if key == b"content-length":
            declared = bytes(value)
        elif key == b"transfer-encoding":
            streamed = True
    return declared, streamed


async def _too_large(send: Send) -> None:
    await send_json(
        send, 413, {"detail": "Request body too large"}, extra_headers=[(b"connection", b"close")]
    )


class AllowedHostsMiddleware:
    """400 JSON for a Host that is not in ALLOWED_HOSTS (`*.example.com` matches subdomains)."""

    def __init__(self, app: ASGIApp, *, allowed_hosts: Sequence[str]) -> None:
        self.app = app
        patterns = [host.lower() for host in allowed_hosts]
        self.exact = frozenset(host for host in patterns if not host.startswith("*"))
        self.suffixes = tuple(host[1:] for host in patterns if host.startswith("*."))
        self.allow_any = "*" in patterns

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.allow_any or scope["type"] not in ("http", "websocket") or self._allowed(scope):
            await self.app(scope, receive, send)
            return
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})
            return
        await send_json(send, 400, {"detail": "Invalid host header"})

    def _allowed(self, scope: Scope) -> bool:
        host = (_header(scope, b"host") or b"").decode("latin-1").lower()
        # Drop the port: "example.com:8000", "[::1]:8000".
        host = host[1:].partition("]")[0] if host.startswith("[") else host.partition(":")[0]
        return host in self.exact or (bool(host) and host.endswith(self.suffixes))


class HTTPSRedirectMiddleware(RedirectEverything):
    """Plain HTTP (and ws://) is redirected to HTTPS, except the health probes."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith(PLAIN_HTTP_PATHS):
            await self.app(scope, receive, send)
            return
        await super().__call__(scope, receive, send)
