"""Observability: metrics, traces, error reports and JSON logs, each off until its setting is set.

METRICS_ENABLED serves /metrics (prometheus_client), OTEL_EXPORTER_OTLP_ENDPOINT sends
traces (OpenTelemetry), SENTRY_DSN reports unhandled errors (sentry_sdk), LOG_FORMAT=json
writes every log line as JSON. A library is imported only when its setting is set.
"""

from __future__ import annotations

import logging
import os
import sys

from flask import Flask, Response, request

from ..extensions import db
from ..settings import Settings, SettingsError
from .middleware import RequestObserver, remember_the_route, route_template
from .settings import ObservabilitySettings

__all__ = ["init_app", "start_tracing"]

ACCESS_LOGGER = f"{__name__}.access"


def init_app(app: Flask) -> None:
    observability = _settings()
    settings: Settings = app.extensions["settings"]
    app.extensions["observability_settings"] = observability
    if observability.json_logs:
        _use_json_logs()
    if observability.sentry_dsn:
        from .errors import start_error_reports

        start_error_reports(observability, settings.environment)
    if observability.otlp_endpoint:
        _trace(app, observability)
    if observability.metrics_enabled:
        _serve_metrics(app, observability)
    if observability.metrics_enabled or observability.json_logs:
        _observe_requests(app, observability)


def start_tracing() -> None:
    """Traces leave this process from now on (gunicorn calls it in each worker, after the fork)."""
    observability = _settings()
    if observability.otlp_endpoint:
        from .tracing import start

        start(observability.service_name)


def _settings() -> ObservabilitySettings:
    try:
        return ObservabilitySettings.from_environ(os.environ)
    except SettingsError as error:
        raise SystemExit(error.line()) from None


def _use_json_logs() -> None:
    from .logs import use_json_logs

    use_json_logs()
    logging.captureWarnings(True)
    # One line per request, whatever LOG_LEVEL says.
    logging.getLogger(ACCESS_LOGGER).setLevel(logging.INFO)


def _trace(app: Flask, observability: ObservabilitySettings) -> None:
    from .tracing import instrument, name_the_route, start

    instrument(app)

    @app.after_request
    def _name_the_route(response: Response) -> Response:
        if request.url_rule is not None:
            name_the_route(route_template(request.url_rule.rule))
        return response

    # The gunicorn master builds the app once (preload) and forks: a span exporter's thread
    # started there would not run in the workers, which start their own (gunicorn.conf.py).
    if "gunicorn.arbiter" not in sys.modules:
        start(observability.service_name)


def _serve_metrics(app: Flask, observability: ObservabilitySettings) -> None:
    from .routes import metrics_view

    app.add_url_rule("/metrics", "metrics", metrics_view(observability.metrics_token))


def _observe_requests(app: Flask, observability: ObservabilitySettings) -> None:
    app.teardown_request(remember_the_route)
    with app.app_context():
        pool = db.engine.pool
    app.wsgi_app = RequestObserver(  # type: ignore[method-assign]
        app.wsgi_app,
        pool=pool,
        metrics=observability.metrics_enabled,
        access_log=logging.getLogger(ACCESS_LOGGER) if observability.json_logs else None,
    )
