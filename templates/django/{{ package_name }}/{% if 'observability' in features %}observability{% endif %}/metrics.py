"""Prometheus metrics (METRICS_ENABLED): requests, latency, database connections.

Under gunicorn the numbers of every worker are added up through files in
PROMETHEUS_MULTIPROC_DIR (gunicorn.conf.py makes a fresh one when it is unset).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connections
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)

REQUESTS = Counter("http_requests_total", "HTTP requests", ["method", "route", "status"])
DURATION = Histogram("http_request_duration_seconds", "HTTP request latency", ["method", "route"])
# Django keeps one connection per thread: in use while its thread serves a request,
# idle while it waits (persistent connections, CONN_MAX_AGE) between requests.
POOL = Gauge(
    "db_pool_connections", "Database connections by state", ["state"], multiprocess_mode="livesum"
)
_threads: dict[int, tuple[bool, bool]] = {}  # thread -> (serving a request, connection open)
_lock = threading.Lock()


def observe(method: str, route: str, status: int, seconds: float) -> None:
    REQUESTS.labels(method=method, route=route, status=str(status)).inc()
    DURATION.labels(method=method, route=route).observe(seconds)


@contextmanager
def in_use() -> Iterator[None]:
    thread = threading.get_ident()
    _set(thread, serving=True)
    try:
        yield
    finally:
        _set(thread, serving=False)


def _set(thread: int, *, serving: bool) -> None:
    is_open = any(connection.connection is not None for connection in connections.all())
    with _lock:
        _threads[thread] = (serving, is_open)
        in_use_count = sum(1 for busy, opened in _threads.values() if busy and opened)
        idle_count = sum(1 for busy, opened in _threads.values() if not busy and opened)
    POOL.labels(state="in_use").set(in_use_count)
    POOL.labels(state="idle").set(idle_count)


def exposition() -> tuple[bytes, str]:
    return generate_latest(_registry()), CONTENT_TYPE_LATEST


def _registry() -> CollectorRegistry:
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        return REGISTRY
    from prometheus_client import multiprocess

    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    return registry
