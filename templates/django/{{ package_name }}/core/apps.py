from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.db.backends.signals import connection_created


class CoreConfig(AppConfig):
    name = __package__ or ""
    label = "core"

    def ready(self) -> None:
        if settings.SQL_ECHO:
            connection_created.connect(echo_sql)


def echo_sql(sender: object, connection: Any, **kwargs: object) -> None:
    """Log this connection's statements (Django does it for every connection only under DEBUG)."""
    connection.force_debug_cursor = True
