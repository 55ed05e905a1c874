"""Fan-out of events to the WebSocket clients of every worker process.

With REDIS_URL, an event is published on one Redis channel and each process's single
listener hands it to its own clients; without it, only the clients of the process that
made the event get it. Each client has a bounded queue, so a slow one never holds up the
others: when its queue is full its socket is closed instead.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from redis.asyncio import Redis

logger = logging.getLogger(__name__)

RETRY_SECONDS = 1.0


def _redis_client(url: str) -> Redis:
    # Imported here: a process without REDIS_URL never loads the Redis client.
    from redis.asyncio import Redis

    return Redis.from_url(url)


class Client:
    """One connected socket: its queue, and the task that sends what is queued."""

    __slots__ = ("overflowed", "queue", "sender")

    def __init__(self, queue_size: int) -> None:
        self.queue: asyncio.Queue[str] = asyncio.Queue(maxsize=queue_size)
        self.sender: asyncio.Task[None] | None = None
        self.overflowed = False

    def offer(self, message: str) -> None:
        if self.overflowed:
            return
        try:
            self.queue.put_nowait(message)
        except asyncio.QueueFull:
            self.overflowed = True
            if self.sender is not None:
                self.sender.cancel()


class Hub:
    def __init__(self, *, channel: str, redis_url: str | None, queue_size: int) -> None:
        self.channel = channel
        self.queue_size = queue_size
        self.clients: set[Client] = set()
        self._redis = _redis_client(redis_url) if redis_url else None
        self._tasks: set[asyncio.Task[None]] = set()

    def connect(self) -> Client:
        client = Client(self.queue_size)
        self.clients.add(client)
        return client

    def disconnect(self, client: Client) -> None:
        self.clients.discard(client)

    def publish(self, message: str) -> None:
        """Send to every client of every process; returns at once."""
        if self._redis is None:
            self.deliver(message)
            return
        task = asyncio.get_running_loop().create_task(self._publish(self._redis, message))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def deliver(self, message: str) -> None:
        """Hand the message to this process's clients."""
        for client in list(self.clients):
            client.offer(message)

    async def _publish(self, redis: Redis, message: str) -> None:
        from redis.exceptions import RedisError

        try:
            await redis.publish(self.channel, message)
        except RedisError as error:
            logger.warning("live updates: Redis publish failed (%s); sent here only", error)
            self.deliver(message)

    @asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        """The process's one Redis listener, for as long as the application runs."""
        if self._redis is None:
            logger.warning(
                "live updates: REDIS_URL is not set; only clients of this process receive events"
            )
            yield
            return
        listener = asyncio.create_task(self._listen(self._redis))
        try:
            yield
        finally:
            listener.cancel()
            with suppress(asyncio.CancelledError):
                await listener
            await self._redis.aclose()

    async def _listen(self, redis: Redis) -> None:
        from redis.exceptions import RedisError

        while True:
            try:
                async with redis.pubsub(ignore_subscribe_messages=True) as pubsub:
                    await pubsub.subscribe(self.channel)
                    async for item in pubsub.listen():
                        self.deliver(item["data"].decode())
            except (RedisError, OSError) as error:
                logger.warning("live updates: Redis listener stopped (%s); retrying", error)
                await asyncio.sleep(RETRY_SECONDS)
