"""Throttling of logins (the API's token endpoint, the pages, the admin) and of the requests
that send mail (password reset, another verification link): attempts per identity (a
username, an email address) and client address in a time window.

An attempt is counted BEFORE the password is checked (one atomic increment), so that
concurrent guesses cannot all slip in before the first failure is recorded. A success
clears the count. The counter lives in memory by default (one process) and in Redis
when REDIS_URL is set, so that the limit holds across every worker process.
"""

from __future__ import annotations

import asyncio
import hashlib
import math
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from ..settings import Settings

if TYPE_CHECKING:
    from redis.asyncio import Redis


class CounterBackend(Protocol):
    async def hit(self, key: str, *, window_seconds: int) -> tuple[int, int]:
        """Add one hit; the hits so far (this one included) and the seconds the window has left."""

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

    async def hit(self, key: str, *, window_seconds: int) -> tuple[int, int]:
        async with self._lock:
            now = self._clock()
            hits, expires_at = self._counters.get(key, (0, 0.0))
            if expires_at <= now:
                self._make_room(now)
                hits, expires_at = 0, now + window_seconds
            self._counters[key] = (hits + 1, expires_at)
        return hits + 1, math.ceil(expires_at - now)

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
        # Imported here: a process without REDIS_URL never loads the Redis client.
        from redis.asyncio import Redis

        return cls(Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2))

    async def hit(self, key: str, *, window_seconds: int) -> tuple[int, int]:
        async with self._client.pipeline(transaction=True) as pipe:
            # MULTI/EXEC: the window starts with the first hit; later hits do not extend it.
            pipe.set(key, 0, ex=window_seconds, nx=True)
            pipe.incr(key)
            pipe.ttl(key)
            _, hits, ttl = await pipe.execute()
        return int(hits), max(int(ttl), 1)

    async def clear(self, key: str) -> None:
        await self._client.delete(key)

    async def close(self) -> None:
        await self._client.aclose()


class LoginThrottle:
    def __init__(
        self,
        backend: CounterBackend,
        *,
        limit: int,
        window_seconds: int,
        scope: str = "login-throttle",
    ) -> None:
        self.backend = backend
        self.limit = limit
        self.window_seconds = window_seconds
        self.scope = scope

    @classmethod
    def from_settings(cls, settings: Settings) -> LoginThrottle:
        backend: CounterBackend = (
            RedisCounter.from_url(settings.redis_url) if settings.redis_url else MemoryCounter()
        )
        limit, window = settings.login_attempts_limit, settings.login_window_seconds
        return cls(backend, limit=limit, window_seconds=window)

    def with_scope(self, scope: str) -> LoginThrottle:
        """The same limits and store, counting another kind of request."""
        return LoginThrottle(
            self.backend, limit=self.limit, window_seconds=self.window_seconds, scope=scope
        )

    async def attempt(self, *, username: str, client: str) -> int | None:
        """Count one attempt; None lets it go on, a number is the seconds to wait instead."""
        hits, remaining = await self.backend.hit(
            self._key(username, client), window_seconds=self.window_seconds
        )
        return remaining if hits > self.limit else None

    async def reset(self, *, username: str, client: str) -> None:
        await self.backend.clear(self._key(username, client))

    async def close(self) -> None:
        await self.backend.close()

    def _key(self, username: str, client: str) -> str:
        digest = hashlib.sha256(
            f"{client}\0{username.lower()}".encode(errors="surrogatepass")
        ).hexdigest()
        return f"{self.scope}:{digest}"
