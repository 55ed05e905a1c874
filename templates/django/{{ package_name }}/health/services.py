"""Is the database reachable? Answered within READINESS_TIMEOUT_SECONDS, whatever happens."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from django.db import DatabaseError, connection

from config.database import explain, unexplained

logger = logging.getLogger(__name__)

# Probes expect an answer within about 2 s, even from a server that hangs.
READINESS_TIMEOUT_SECONDS = 1.25

# Further parts of readiness that apps add in their ready(): each answers
# (name, value, ready), e.g. ("model", "missing", False).
ReadinessCheck = Callable[[], tuple[str, str, bool]]
readiness_checks: list[ReadinessCheck] = []


def database_is_reachable(timeout: float = READINESS_TIMEOUT_SECONDS) -> bool:
    """Run SELECT 1 on a connection of its own, giving up after `timeout` seconds.

    The check runs in a short-lived thread (so with a connection of its own):
    a connect or a query that hangs then costs the probe `timeout`, not the
    database's own timeouts, and never a request thread's connection.
    """
    outcome: list[bool] = []
    probe = threading.Thread(target=_probe, args=(outcome,), name="readiness", daemon=True)
    probe.start()
    probe.join(timeout)
    if not outcome:
        logger.warning("Readiness check: the database did not answer within %.1f s", timeout)
        return False
    return outcome[0]


def _probe(outcome: list[bool]) -> None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        outcome.append(True)
    except DatabaseError as error:
        reason = explain(error, connection.settings_dict) or unexplained(error)
        logger.warning("Readiness check: the database is unreachable: %s", reason)
        outcome.append(False)
    finally:
        connection.close()
