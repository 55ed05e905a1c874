"""Observability: Prometheus metrics, OpenTelemetry traces, Sentry error reports, JSON logs.

Each part is imported only when its setting is set, so a worker without them loads
nothing of prometheus_client, opentelemetry or sentry_sdk.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fastapi import FastAPI

    from ..resources import Resources

__all__ = ["install"]


def install(app: FastAPI, resources: Resources) -> None:
    settings = resources.settings
    if settings.log_format == "json":
        from .logs import AccessLogMiddleware, use_json_logs

        use_json_logs()
        app.add_middleware(AccessLogMiddleware)
    if settings.sentry_dsn:
        from .errors import report_errors_to_sentry

        report_errors_to_sentry(settings)
    if settings.metrics_enabled:
        from .metrics import install_metrics

        install_metrics(app, resources)
    if settings.otel_exporter_otlp_endpoint:
        from .tracing import install_tracing

        install_tracing(app, resources)
