"""The observability settings block, mixed into the service's Settings. Each part is off
until its setting is set."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings


class ObservabilitySettings(BaseSettings):
    # GET /metrics in the Prometheus text format.
    metrics_enabled: bool = False
    # When set, /metrics asks for `Authorization: Bearer <METRICS_TOKEN>`.
    metrics_token: str | None = Field(default=None, repr=False)
    # OTLP/HTTP collector (say http://otel-collector:4318); unset: no tracing.
    otel_exporter_otlp_endpoint: str | None = None
    # The traces' service.name; unset: the project's slug.
    otel_service_name: str | None = None
    sentry_dsn: str | None = Field(default=None, repr=False)
    sentry_traces_sample_rate: float = Field(default=0.0, ge=0, le=1)
    log_format: Literal["text", "json"] = "text"

    @field_validator("log_format", mode="before")
    @classmethod
    def lowercase_format(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value
