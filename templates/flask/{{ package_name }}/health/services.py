from __future__ import annotations

from collections.abc import Callable, Sequence

from flask import current_app

from ..db import database_is_reachable

# What else readiness reports, from the optional features: () -> (field, value, ready).
ReadinessCheck = Callable[[], tuple[str, str, bool]]


def readiness() -> tuple[bool, dict[str, str]]:
    """(ready, body): ready when the database answers SELECT 1 within 2 s (and the rest is)."""
    database = database_is_reachable()
    body = {"database": "ok" if database else "error"}
    ready = database
    checks: Sequence[ReadinessCheck] = current_app.extensions.get("readiness_checks", ())
    for check in checks:
        field, value, ok = check()
        body[field] = value
        ready = ready and ok
    return ready, {"status": "ok" if ready else "unavailable", **body}
