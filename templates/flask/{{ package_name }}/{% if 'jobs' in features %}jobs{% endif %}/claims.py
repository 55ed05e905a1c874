"""Once-only claims for job keys: Redis SET NX, or this process's memory without Redis."""

from __future__ import annotations

import threading
import time
from typing import Protocol

import redis


class Claims(Protocol):
    def claim(self, name: str, seconds: float) -> bool: ...
    def keep(self, name: str, seconds: float) -> None: ...
    def release(self, name: str) -> None: ...


class RedisClaims:
    def __init__(self, url: str, prefix: str) -> None:
        self._redis = redis.Redis.from_url(url)
        self._prefix = prefix

    def claim(self, name: str, seconds: float) -> bool:
        return bool(self._redis.set(self._prefix + name, b"1", nx=True, px=int(seconds * 1000)))

    def keep(self, name: str, seconds: float) -> None:
        self._redis.set(self._prefix + name, b"sent", px=int(seconds * 1000))

    def release(self, name: str) -> None:
        self._redis.delete(self._prefix + name)


class LocalClaims:
    """The same rules within one process (jobs that run in the web process)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._until: dict[str, float] = {}

    def claim(self, name: str, seconds: float) -> bool:
        now = time.monotonic()
        with self._lock:
            if self._until.get(name, 0.0) > now:
                return False
            self._until[name] = now + seconds
            return True

    def keep(self, name: str, seconds: float) -> None:
        with self._lock:
            self._until[name] = time.monotonic() + seconds

    def release(self, name: str) -> None:
        with self._lock:
            self._until.pop(name, None)
