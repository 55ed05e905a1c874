"""Is the database reachable?"""

from __future__ import annotations

import logging

from django.db import DatabaseError, connection

logger = logging.getLogger(__name__)


def database_is_reachable() -> bool:
    """Run SELECT 1; connection attempts are bounded by the database's connect timeout."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.warning("Readiness check: the database is unreachable", exc_info=True)
        connection.close_if_unusable_or_obsolete()
        return False
    return True
