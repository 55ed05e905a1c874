"""The web process's side of the queue: account mail handed to the worker as send_email."""

from __future__ import annotations

import asyncio
import uuid
from email.message import EmailMessage

from arq.connections import ArqRedis, RedisSettings, create_pool

from .mail import mail_job

QUEUE_NAME = f"{__name__.partition('.')[0]}:queue"


class JobQueue:
    """Connects to Redis on the first job, so that a process that queues nothing never does."""

    def __init__(self, redis_url: str, *, queue_name: str = QUEUE_NAME) -> None:
        self.redis_settings = RedisSettings.from_dsn(redis_url)
        self.queue_name = queue_name
        self._pool: ArqRedis | None = None
        self._connecting = asyncio.Lock()

    async def send_email(self, message: EmailMessage) -> None:
        """Queue one rendered mail; its key, made now, lets the worker send it only once."""
        key = uuid.uuid4().hex
        pool = await self._connected()
        await pool.enqueue_job("send_email", mail_job(message, key), _job_id=f"send_email:{key}")

    async def close(self) -> None:
        if self._pool is not None:
            await self._pool.aclose()
            self._pool = None

    async def _connected(self) -> ArqRedis:
        async with self._connecting:
            if self._pool is None:
                self._pool = await create_pool(
                    self.redis_settings, default_queue_name=self.queue_name
                )
            return self._pool
