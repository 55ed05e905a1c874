"""GET /api/ws/articles: a WebSocket that receives every article as it is published."""

from __future__ import annotations

import asyncio
import contextlib

from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings

from .hub import hub

# WebSocket close codes (RFC 6455): too big to process, and a policy violation.
MESSAGE_TOO_BIG = 1009
POLICY_VIOLATION = 1008


class ArticlesConsumer(AsyncWebsocketConsumer):  # type: ignore[misc]  # channels is untyped
    """Events wait in a bounded queue of their own: a client that does not read delays
    nobody else, and is closed (1008) once its queue is full. Client messages are
    ignored; one over LIVE_MESSAGE_MAX_BYTES closes the socket (1009).
    """

    queue: asyncio.Queue[str]
    sender: asyncio.Task[None] | None = None

    async def connect(self) -> None:
        self.queue = asyncio.Queue(maxsize=settings.LIVE_QUEUE_SIZE)
        await hub.join(self)
        await self.accept()
        self.sender = asyncio.create_task(self._send_events())

    async def disconnect(self, code: int) -> None:
        hub.leave(self)
        if self.sender is not None:
            self.sender.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.sender

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        size = len(text_data.encode()) if text_data is not None else len(bytes_data or b"")
        if size > settings.LIVE_MESSAGE_MAX_BYTES:
            await self._close(MESSAGE_TOO_BIG)

    def offer(self, text: str) -> None:
        try:
            self.queue.put_nowait(text)
        except asyncio.QueueFull:
            hub.leave(self)
            asyncio.get_running_loop().create_task(self._close(POLICY_VIOLATION))

    async def _send_events(self) -> None:
        while True:
            await self.send(text_data=await self.queue.get())

    async def _close(self, code: int) -> None:
        hub.leave(self)
        if self.sender is not None:
            self.sender.cancel()
        await self.close(code=code)
