"""What the server says in its log once, at start, about how it runs."""

from __future__ import annotations

import logging

from django.conf import settings

from ..users.throttle import log_where_attempts_are_counted

logger = logging.getLogger(__name__)


def log_start_notes() -> None:
    if settings.SECRET_KEY_IS_RANDOM:
        logger.warning(
            "SECRET_KEY is not set: this process signs with a random key, so tokens and "
            "sessions stop working when it restarts; set SECRET_KEY in .env to keep them"
        )
    log_where_attempts_are_counted()
