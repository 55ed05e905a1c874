"""Brute-force protection for the token endpoint.

Failures are counted per username and client address in the configured cache
(Redis when REDIS_URL is set), so the limit holds across worker processes.
"""

from __future__ import annotations

import hashlib
import math
import time

from django.conf import settings
from django.core.cache import cache


class LoginThrottle:
    def __init__(self, *, username: str, client_ip: str) -> None:
        identity = f"{username.casefold()}\x00{client_ip}".encode()
        digest = hashlib.sha256(identity).hexdigest()
        self.count_key = f"login-failures:{digest}"
        self.start_key = f"login-failures-start:{digest}"
        self.max_failures: int = settings.LOGIN_THROTTLE_MAX_FAILURES
        self.window: int = settings.LOGIN_THROTTLE_WINDOW_SECONDS

    def retry_after(self) -> int | None:
        """Seconds until the next attempt is allowed, or None when it is allowed now."""
        failures: int = cache.get(self.count_key, 0)
        if failures < self.max_failures:
            return None
        started: float = cache.get(self.start_key, time.time())
        return max(1, math.ceil(started + self.window - time.time()))

    def record_failure(self) -> None:
        cache.add(self.start_key, time.time(), timeout=self.window)
        cache.add(self.count_key, 0, timeout=self.window)
        try:
            cache.incr(self.count_key)
        except ValueError:  # the key expired between add and incr
            cache.set(self.count_key, 1, timeout=self.window)

    def reset(self) -> None:
        cache.delete_many([self.count_key, self.start_key])
