from __future__ import annotations

from ..db import database_is_reachable


def readiness() -> tuple[bool, dict[str, str]]:
    """(ready, body): ready when the database answers SELECT 1 within 2 s."""
    if database_is_reachable():
        return True, {"status": "ok", "database": "ok"}
    return False, {"status": "unavailable", "database": "error"}
