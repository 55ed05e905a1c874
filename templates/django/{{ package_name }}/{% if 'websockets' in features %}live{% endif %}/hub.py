"""The WebSocket clients of this process, and how events reach them.

With REDIS_URL every event goes through Redis pub/sub (one channel,
LIVE_CHANNEL), so that the clients of every worker process receive it,
whichever process made it; each process holds one subscription. Without
REDIS_URL events go straight to the clients of the process that made them.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from typing import TYPE_CHECKING, Protocol

from django.conf import settings

if TYPE_CHECKING:
    import redis
    from redis.asyncio.client import PubSub

logger = logging.getLogger(__name__)

RECONNECT_SECONDS = 1.0
REDIS_TIMEOUT_SECONDS = 2.0


class Client(Protocol):
    def offer(self, text: str) -> None:
        """Take one event without waiting (a full queue closes the client)."""


class Hub:
    def __init__(self) -> None:
        self.clients: set[Client] = set()
        self.loop: asyncio.AbstractEventLoop | None = None
        self.subscribed = asyncio.Event()
        self._listener: asyncio.Task[None] | None = None

    async def join(self, client: Client) -> None:
        """Add a client; with Redis, once this process's subscription is live."""
        self.start()
        if settings.REDIS_URL:
            # Redis away: the client still connects, and receives once the subscription is back.
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.subscribed.wait(), REDIS_TIMEOUT_SECONDS)
        self.clients.add(client)

    def leave(self, client: Client) -> None:
        self.clients.discard(client)

    def start(self) -> None:
        """Bind to the running event loop and, with Redis, start listening (once per loop)."""
        loop = asyncio.get_running_loop()
        if self.loop is not loop:
            self.loop, self.clients, self.subscribed = loop, set(), asyncio.Event()
            self._listener = None
        if settings.REDIS_URL and self._listener is None:
            self._listener = loop.create_task(self._listen(), name="live-updates")

    async def stop(self) -> None:
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._listener
            self._listener = None

    def deliver(self, text: str) -> None:
        for client in list(self.clients):
            client.offer(text)

    def broadcast(self, text: str) -> None:
        """Send an event to the clients of every process (Redis) or of this one; from any thread."""
        if settings.REDIS_URL:
            redis_client().publish(settings.LIVE_CHANNEL, text)
        elif self.loop is not None and not self.loop.is_closed():
            self.loop.call_soon_threadsafe(self.deliver, text)

    async def _listen(self) -> None:
        from redis import RedisError
        from redis.asyncio import Redis

        while True:
            try:
                connection = Redis.from_url(
                    settings.REDIS_URL, socket_connect_timeout=REDIS_TIMEOUT_SECONDS
                )
                async with connection, connection.pubsub() as pubsub:
                    await pubsub.subscribe(settings.LIVE_CHANNEL)
                    await self._relay(pubsub)
            except (OSError, RedisError) as error:
                logger.warning("live updates: Redis subscription lost (%s); retrying", error)
            self.subscribed.clear()
            await asyncio.sleep(RECONNECT_SECONDS)

    async def _relay(self, pubsub: PubSub) -> None:
        async for message in pubsub.listen():
            if message["type"] == "subscribe":
                self.subscribed.set()
            elif message["type"] == "message":
                self.deliver(message["data"].decode())


@functools.cache
def redis_client() -> redis.Redis:
    """One client per process, for publishing from request threads (thread-safe pool)."""
    from redis import Redis

    return Redis.from_url(
        settings.REDIS_URL,
        socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
        socket_timeout=REDIS_TIMEOUT_SECONDS,
    )


hub = Hub()
