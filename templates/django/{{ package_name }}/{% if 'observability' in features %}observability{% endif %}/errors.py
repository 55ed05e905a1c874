"""Unhandled errors reported to Sentry (SENTRY_DSN), without personal data."""

from __future__ import annotations

import sentry_sdk
from django.conf import settings
from sentry_sdk.integrations.django import DjangoIntegration

from config.environment import environment_name


def start_error_reports() -> None:
    sentry_sdk.init(
        dsn=settings.SENTRY_DSN,
        integrations=[DjangoIntegration()],
        send_default_pii=False,
        traces_sample_rate=settings.SENTRY_TRACES_SAMPLE_RATE,
        environment=environment_name(),
    )
