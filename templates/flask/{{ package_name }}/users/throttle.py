"""Brute-force protection for every login: 5 attempts per username and address per window.

An attempt is counted (atomically) before its password is checked and the count is
cleared by a success, so concurrent guesses cannot slip past the limit. The counter
lives in Redis when REDIS_URL is set (shared by every worker), else in this process.
"""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import redis


KEY_PREFIX = "login-attempts"
# INCR and the expiry of the first attempt in one step, with the seconds left.
INCREMENT_SCRIPT = """
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return {count, redis.call('TTL', KEYS[1])}
"""
REDIS_TIMEOUT_SECONDS = 2.0


class Counter(Protocol):
    def increment(self, key: str, window_seconds: int) -> tuple[int, int]:
        """Add one; (count in the window, seconds until the window ends)."""

    def clear(self, key: str) -> None: ...


class MemoryCounter:
    """Counts in this process only: each worker process keeps its own counts."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: dict[str, tuple[int, float]] = {}

    def increment(self, key: str, window_seconds: int) -> tuple[int, int]:
        now = time.monotonic()
        with self._lock:
            if len(self._counts) > 10_000:
                self._forget_expired(now)
            count, ends_at = self._counts.get(key, (0, 0.0))
            if ends_at <= now:
                count, ends_at = 0, now + window_seconds
            self._counts[key] = (count + 1, ends_at)
        return count + 1, max(1, round(ends_at - now))

    def clear(self, key: str) -> None:
        with self._lock:
            self._counts.pop(key, None)

    def _forget_expired(self, now: float) -> None:
        self._counts = {key: entry for key, entry in self._counts.items() if entry[1] > now}


class RedisCounter:
    def __init__(self, url: str) -> None:
        # Imported only when used: the redis package alone adds ~15 MB to every worker.
        import redis

        self._redis: redis.Redis = redis.Redis.from_url(
            url,
            socket_timeout=REDIS_TIMEOUT_SECONDS,
            socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
        )
        self._increment = self._redis.register_script(INCREMENT_SCRIPT)

    def increment(self, key: str, window_seconds: int) -> tuple[int, int]:
        count, ttl = self._increment(keys=[key], args=[window_seconds])
        return int(count), max(1, int(ttl))

    def clear(self, key: str) -> None:
        self._redis.delete(key)


def redis_errors(redis_url: str | None) -> tuple[type[Exception], ...]:
    """The errors of a Redis that does not answer (none when there is no Redis)."""
    if not redis_url:
        return ()
    import redis

    return (redis.ConnectionError, redis.TimeoutError)


def counter_for(redis_url: str | None) -> Counter:
    # Without Redis the servers say at start that the count is per process (settings.py).
    return RedisCounter(redis_url) if redis_url else MemoryCounter()


class LoginThrottle:
    def __init__(
        self, counter: Counter, *, attempts: int, window_seconds: int, prefix: str = KEY_PREFIX
    ) -> None:
        self._counter = counter
        self._prefix = prefix
        self._attempts = attempts
        self._window_seconds = window_seconds

    def reserve(self, *, username: str, client_ip: str) -> int | None:
        """Count one attempt; seconds to wait when it is over the limit, else None."""
        count, seconds_left = self._counter.increment(
            self._key(username, client_ip), self._window_seconds
        )
        return seconds_left if count > self._attempts else None

    def reset(self, *, username: str, client_ip: str) -> None:
        self._counter.clear(self._key(username, client_ip))

    def _key(self, username: str, client_ip: str) -> str:
        return f"{self._prefix}:{client_ip}:{username.lower()}"
