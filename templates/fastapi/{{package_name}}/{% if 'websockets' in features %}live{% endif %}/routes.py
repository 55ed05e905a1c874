"""GET /api/ws/articles: a WebSocket that receives every article as it is published."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from contextlib import suppress
from pathlib import Path
from urllib.parse import urlsplit

from fastapi import APIRouter, WebSocket, status
from fastapi.responses import FileResponse
from starlette.datastructures import Headers

from .hub import Client, Hub

# Larger client messages close the socket (1009); uvicorn enforces the same (ws_max_size).
MAX_MESSAGE_BYTES = 64 * 1024

SCRIPT = Path(__file__).parent / "static" / "articles.js"
SCRIPT_URL = "/static/live/articles.js"

router = APIRouter()


def origin_allowed(headers: Headers, allowed_origins: Sequence[str]) -> bool:
    """No Origin (not a browser), the server's own, or one listed in CORS_ORIGINS."""
    origin = headers.get("origin")
    if origin is None:
        return True
    if origin in allowed_origins:
        return True
    return urlsplit(origin).netloc.lower() == headers.get("host", "").lower()


@router.websocket("/ws/articles")
async def articles(websocket: WebSocket) -> None:
    hub: Hub = websocket.app.state.live
    settings = websocket.app.state.resources.settings
    if not origin_allowed(websocket.headers, settings.cors_origins):
        # Closing before accepting refuses the handshake: the client gets HTTP 403.
        await websocket.close(code=status.WS_1008_POLICY_VIOLATION)
        return
    await websocket.accept()
    client = hub.connect()
    try:
        code = await _serve(websocket, client)
    finally:
        hub.disconnect(client)
    if code is not None:
        with suppress(Exception):  # the client may be gone already
            await websocket.close(code=code)


async def _serve(websocket: WebSocket, client: Client) -> int | None:
    """Send what the hub queues and read what the client says; the close code, if any."""
    sender = client.sender = asyncio.create_task(_send(websocket, client))
    receiver = asyncio.create_task(_receive(websocket))
    try:
        await asyncio.wait({sender, receiver}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in (sender, receiver):
            task.cancel()
            with suppress(BaseException):
                await task
    if client.overflowed:
        return status.WS_1008_POLICY_VIOLATION
    if receiver.done() and not receiver.cancelled() and receiver.exception() is None:
        return receiver.result()
    return None


async def _send(websocket: WebSocket, client: Client) -> None:
    while True:
        await websocket.send_text(await client.queue.get())


async def _receive(websocket: WebSocket) -> int | None:
    """Ignore what the client sends, unless it is too large; None when it leaves."""
    while True:
        received = await websocket.receive()
        if received["type"] == "websocket.disconnect":
            return None
        data = received.get("bytes") or (received.get("text") or "").encode()
        if len(data) > MAX_MESSAGE_BYTES:
            return status.WS_1009_MESSAGE_TOO_BIG


async def script() -> FileResponse:
    """The few lines of JavaScript that put live articles into the HTML list."""
    return FileResponse(SCRIPT, media_type="text/javascript")
