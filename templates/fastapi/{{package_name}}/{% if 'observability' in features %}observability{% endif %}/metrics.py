"""Prometheus metrics (METRICS_ENABLED): requests by route template, their latency, the pool.

Under gunicorn every worker writes its samples to PROMETHEUS_MULTIPROC_DIR (gunicorn.conf.py
makes one) and /metrics adds up the files of all workers, whichever worker answers.
"""

from __future__ import annotations

import hmac
import os
import time
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.multiprocess import MultiProcessCollector
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..resources import Resources
from .scopes import route_template

METRICS_PATH = "/metrics"

REQUESTS = Counter("http_requests_total", "HTTP requests answered", ["method", "route", "status"])
DURATION = Histogram(
    "http_request_duration_seconds", "Time to answer an HTTP request", ["method", "route"]
)
# livesum: the connections of the workers that are running now, added up.
POOL = Gauge(
    "db_pool_connections",
    "Database pool connections by state",
    ["state"],
    multiprocess_mode="livesum",
)


def install_metrics(app: FastAPI, resources: Resources) -> None:
    app.add_middleware(RequestMetricsMiddleware)
    app.add_api_route(
        METRICS_PATH, _metrics_endpoint(resources.settings.metrics_token), include_in_schema=False
    )
    watch_pool(resources.engine)


class RequestMetricsMiddleware:
    """Counts and times every HTTP request by its route template (not /metrics itself)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] == METRICS_PATH:
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_and_remember(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_and_remember)
        finally:
            method, route = scope["method"], route_template(scope)
            REQUESTS.labels(method, route, str(status)).inc()
            DURATION.labels(method, route).observe(time.perf_counter() - started)


def registry() -> CollectorRegistry:
    """All workers' samples under gunicorn; this process's own otherwise."""
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        return REGISTRY
    collected = CollectorRegistry()
    MultiProcessCollector(collected)  # type: ignore[no-untyped-call]  # untyped upstream
    return collected


def _metrics_endpoint(token: str | None) -> Any:
    expected = f"Bearer {token}".encode() if token else None

    async def metrics(request: Request) -> Response:
        if expected is not None:
            given = request.headers.get("authorization", "").encode("latin-1")
            if not hmac.compare_digest(given, expected):
                return JSONResponse(
                    {"detail": "Not authenticated"},
                    status_code=401,
                    headers={"WWW-Authenticate": "Bearer"},
                )
        return Response(generate_latest(registry()), media_type=CONTENT_TYPE_LATEST)

    return metrics


def watch_pool(engine: AsyncEngine) -> None:
    """Keeps db_pool_connections in step with the pool at each checkout and checkin."""
    pool = engine.sync_engine.pool

    def update(*_args: object) -> None:
        in_use = getattr(pool, "checkedout", lambda: 0)()
        idle = getattr(pool, "checkedin", lambda: 0)()
        POOL.labels("in_use").set(in_use)
        POOL.labels("idle").set(idle)

    update()
    for name in ("checkout", "checkin", "connect", "close"):
        event.listen(engine.sync_engine, name, update)
