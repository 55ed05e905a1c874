"""OpenTelemetry traces over OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT: requests and queries."""

from __future__ import annotations

import threading

from flask import Flask
from opentelemetry import trace
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.instrumentation.flask import FlaskInstrumentor
from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor
from opentelemetry.sdk.resources import SERVICE_NAME, Resource
from opentelemetry.sdk.trace import SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor

from ..extensions import db

_started = threading.Lock()


def instrument(app: Flask) -> None:
    """Spans for requests and queries; they go nowhere until start() in this process."""
    FlaskInstrumentor().instrument_app(app)  # type: ignore[no-untyped-call]
    # Its span starts first, so that requests answered by an earlier hook (the HTTPS
    # redirect) are traced too.
    hooks = app.before_request_funcs.setdefault(None, [])
    hooks.insert(0, hooks.pop())
    with app.app_context():
        # The instrumentation declares SQLAlchemy < 2.1 only; the engine events it uses
        # are the same in 2.1 (the tests check its spans).
        SQLAlchemyInstrumentor().instrument(engine=db.engine, skip_dep_check=True)


def start(service_name: str, processor: SpanProcessor | None = None) -> TracerProvider:
    """The provider and its exporting thread, in this process (a worker, after the fork)."""
    with _started:
        current = trace.get_tracer_provider()
        if isinstance(current, TracerProvider):
            return current
        provider = TracerProvider(resource=Resource.create({SERVICE_NAME: service_name}))
        provider.add_span_processor(processor or BatchSpanProcessor(OTLPSpanExporter()))
        trace.set_tracer_provider(provider)
        return provider


def name_the_route(route: str) -> None:
    trace.get_current_span().set_attribute("http.route", route)
