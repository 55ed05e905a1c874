"""Unhandled errors reported to Sentry (SENTRY_DSN), without personal data."""

from __future__ import annotations

import sentry_sdk
from sentry_sdk.integrations.flask import FlaskIntegration

from ..settings import Environment
from .settings import ObservabilitySettings


def start_error_reports(settings: ObservabilitySettings, environment: Environment) -> None:
    sentry_sdk.init(
        dsn=settings.sentry_dsn,
        integrations=[FlaskIntegration()],
        send_default_pii=False,
        traces_sample_rate=settings.sentry_traces_sample_rate,
        environment=environment,
    )
