import sys

from django.apps import AppConfig
from django.conf import settings


class ObservabilityConfig(AppConfig):
    name = __package__ or ""
    label = "observability"

    def ready(self) -> None:
        if settings.SENTRY_DSN:
            from .errors import start_error_reports

            start_error_reports()
        if settings.OTEL_EXPORTER_OTLP_ENDPOINT:
            from . import tracing

            # Before the middleware is loaded: the Django instrumentation adds its own.
            tracing.instrument()
            if not sys.argv[0].endswith("gunicorn"):
                tracing.start()  # gunicorn starts it in each worker (post_fork)
