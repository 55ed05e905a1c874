"""Brute-force protection for every login (the API's token endpoint, the pages, the admin)
and for the requests that send mail (password reset, another verification link).

Attempts are counted per username and client address in the configured cache
(Redis when REDIS_URL is set), so the limit holds across worker processes.
Each attempt is counted BEFORE its password is checked, with an atomic
increment: of many simultaneous guesses, at most LOGIN_THROTTLE_MAX_FAILURES
are ever checked. A successful login starts the count again.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache

logger = logging.getLogger(__name__)


class Throttle:
    """At most LOGIN_THROTTLE_MAX_FAILURES attempts per identity within the window."""

    def __init__(self, *, scope: str, identity: str, client_ip: str = "") -> None:
        digest = hashlib.sha256(f"{identity}\x00{client_ip}".encode()).hexdigest()
        self.count_key = f"{scope}:{digest}"
        self.start_key = f"{scope}-start:{digest}"
        self.max_failures: int = settings.LOGIN_THROTTLE_MAX_FAILURES
        self.window: int = settings.LOGIN_THROTTLE_WINDOW_SECONDS

    def attempt(self) -> int | None:
        """Count one attempt; seconds to wait when it is over the limit, None when it may go on."""
        now = time.time()
        cache.add(self.start_key, now, timeout=self.window)
        cache.add(self.count_key, 0, timeout=self.window)
        try:
            attempts = cache.incr(self.count_key)
        except ValueError:  # the window ended between add and incr: this one starts the next
            cache.set(self.count_key, 1, timeout=self.window)
            attempts = 1
        if attempts <= self.max_failures:
            return None
        started: float = cache.get(self.start_key, now)
        return max(1, math.ceil(started + self.window - now))

    def reset(self) -> None:
        cache.delete_many([self.count_key, self.start_key])


class LoginThrottle(Throttle):
    """Failed logins per username (ignoring case) and client address."""

    def __init__(self, *, username: str, client_ip: str) -> None:
        super().__init__(scope="login-attempts", identity=username.casefold(), client_ip=client_ip)


def password_reset_throttle(*, email: str, client_ip: str) -> Throttle:
    """Reset requests per address (ignoring case) and client address; each one counts."""
    return Throttle(scope="password-reset", identity=email.casefold(), client_ip=client_ip)


def verification_throttle(*, username: str) -> Throttle:
    """Requests for another verification mail, per user (by name, as logins are); each counts."""
    return Throttle(scope="verification-resend", identity=username.casefold())


def log_where_attempts_are_counted() -> None:
    """Say at start when the count is per process, so the limit multiplies with the workers."""
    if isinstance(caches["default"], LocMemCache):
        logger.warning(
            "REDIS_URL is not set: the login throttle counts attempts in each worker "
            "process's memory, so N workers allow N times the limit; set REDIS_URL to share it"
        )
