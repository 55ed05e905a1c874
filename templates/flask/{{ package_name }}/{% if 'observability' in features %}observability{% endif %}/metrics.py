"""Prometheus metrics (METRICS_ENABLED): requests, latency, database connections.

Under gunicorn the numbers of every worker are added up through files in
PROMETHEUS_MULTIPROC_DIR (gunicorn.conf.py makes a fresh one when it is unset).
"""

from __future__ import annotations

import os

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from sqlalchemy.pool import Pool

REQUESTS = Counter("http_requests_total", "HTTP requests", ["method", "route", "status"])
DURATION = Histogram("http_request_duration_seconds", "HTTP request latency", ["method", "route"])
POOL = Gauge(
    "db_pool_connections",
    "Pooled database connections by state",
    ["state"],
    multiprocess_mode="livesum",
)


def observe(method: str, route: str, status: int, seconds: float) -> None:
    REQUESTS.labels(method=method, route=route, status=str(status)).inc()
    DURATION.labels(method=method, route=route).observe(seconds)


def report_pool(pool: Pool) -> None:
    """This worker's pool now; pools that keep no count (SQLite in memory) report 0."""
    checked_out = getattr(pool, "checkedout", None)
    checked_in = getattr(pool, "checkedin", None)
    POOL.labels(state="in_use").set(checked_out() if checked_out else 0)
    POOL.labels(state="idle").set(checked_in() if checked_in else 0)


def exposition() -> tuple[bytes, str]:
    return generate_latest(_registry()), CONTENT_TYPE_LATEST


def _registry() -> CollectorRegistry:
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        return REGISTRY
    from prometheus_client import multiprocess

    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    return registry
