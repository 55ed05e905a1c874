"""Login throttling: failed attempts per username and client address in a time window.

The counter lives in memory by default (one process) and in Redis when REDIS_URL is
set, so that the limit holds across every worker process.
"""

from __future__ import annotations

import asyncio
import hashlib
import math
import time
from collections.abc import Callable
from typing import Protocol

from redis.asyncio import Redis

from ..settings import Settings


class CounterBackend(Protocol):
    async def count(self, key: str) -> tuple[int, int]:
        """How many hits the key has, and the seconds until its window ends."""

    async def hit(self, key: str, *, window_seconds: int) -> None: ...

    async def clear(self, key: str) -> None: ...

    async def close(self) -> None: ...


class MemoryCounter:
    """Counters in this process; bounded so that a flood of usernames cannot exhaust memory."""

    def __init__(
        self, *, max_keys: int = 100_000, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._counters: dict[str, tuple[int, float]] = {}
        self._max_keys = max_keys
        self._clock = clock
        self._lock = asyncio.Lock()

    async def count(self, key: str) -> tuple[int, int]:
        hits, expires_at = self._counters.get(key, (0, 0.0))
        remaining = expires_at - self._clock()
        if remaining <= 0:
            return 0, 0
        return hits, math.ceil(remaining)

    async def hit(self, key: str, *, window_seconds: int) -> None:
        async with self._lock:
            now = self._clock()
            hits, expires_at = self._counters.get(key, (0, 0.0))
            if expires_at <= now:
                self._make_room(now)
                hits, expires_at = 0, now + window_seconds
            self._counters[key] = (hits + 1, expires_at)

    async def clear(self, key: str) -> None:
        self._counters.pop(key, None)

    async def close(self) -> None:
        self._counters.clear()

    def _make_room(self, now: float) -> None:
        if len(self._counters) < self._max_keys:
            return
        for key in [key for key, (_, expires) in self._counters.items() if expires <= now]:
            del self._counters[key]
        while len(self._counters) >= self._max_keys:
            del self._counters[next(iter(self._counters))]


class RedisCounter:
    """Counters shared by every process that uses the same Redis database."""

    def __init__(self, client: Redis) -> None:
        self._client = client

    @classmethod
    def from_url(cls, url: str) -> RedisCounter:
        return cls(Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2))

    async def count(self, key: str) -> tuple[int, int]:
        async with self._client.pipeline(transaction=False) as pipe:
            pipe.get(key)
            pipe.ttl(key)
            hits, ttl = await pipe.execute()
        if hits is None or ttl <= 0:
            return 0, 0
        return int(hits), int(ttl)

    async def hit(self, key: str, *, window_seconds: int) -> None:
        async with self._client.pipeline(transaction=True) as pipe:
            # The window starts with the first failure; later hits do not extend it.
            pipe.set(key, 0, ex=window_seconds, nx=True)
            pipe.incr(key)
            await pipe.execute()

    async def clear(self, key: str) -> None:
        await self._client.delete(key)

    async def close(self) -> None:
        await self._client.aclose()


class LoginThrottle:
    def __init__(self, backend: CounterBackend, *, limit: int, window_seconds: int) -> None:
        self.backend = backend
        self.limit = limit
        self.window_seconds = window_seconds

    @classmethod
    def from_settings(cls, settings: Settings) -> LoginThrottle:
        backend: CounterBackend = (
            RedisCounter.from_url(settings.redis_url) if settings.redis_url else MemoryCounter()
        )
        limit, window = settings.login_attempts_limit, settings.login_window_seconds
        return cls(backend, limit=limit, window_seconds=window)

    async def retry_after(self, *, username: str, client: str) -> int | None:
        """Seconds to wait when the limit is reached, otherwise None."""
        hits, remaining = await self.backend.count(self._key(username, client))
        return max(remaining, 1) if hits >= self.limit else None

    async def record_failure(self, *, username: str, client: str) -> None:
        await self.backend.hit(self._key(username, client), window_seconds=self.window_seconds)

    async def reset(self, *, username: str, client: str) -> None:
        await self.backend.clear(self._key(username, client))

    async def close(self) -> None:
        await self.backend.close()

    @staticmethod
    def _key(username: str, client: str) -> str:
        digest = hashlib.sha256(f"{client}\0{username}".encode()).hexdigest()
        return f"login-throttle:{digest}"
