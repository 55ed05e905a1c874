"""Brute-force protection for the token endpoint: only failed attempts count.

The counters live in Flask-Limiter's storage (memory:// by default, Redis when
REDIS_URL is set), so with Redis they hold across worker processes.
"""

from __future__ import annotations

import math
import time

from flask_limiter import Limiter
from limits import RateLimitItemPerSecond

KEY_PREFIX = "login-failures"


class LoginThrottle:
    def __init__(self, limiter: Limiter, *, attempts: int, window_seconds: int) -> None:
        self._limiter = limiter
        self._limit = RateLimitItemPerSecond(attempts, window_seconds)

    def retry_after(self, *, username: str, client_ip: str) -> int | None:
        """Seconds to wait when this username+address is locked out, else None."""
        key = self._key(username, client_ip)
        if self._limiter.limiter.test(self._limit, key):
            return None
        reset_at = self._limiter.limiter.get_window_stats(self._limit, key).reset_time
        return max(1, math.ceil(reset_at - time.time()))

    def record_failure(self, *, username: str, client_ip: str) -> None:
        self._limiter.limiter.hit(self._limit, self._key(username, client_ip))

    @staticmethod
    def _key(username: str, client_ip: str) -> str:
        return f"{KEY_PREFIX}:{client_ip}:{username.lower()}"
