"""The job worker's own Prometheus metrics (METRICS_ENABLED): jobs by outcome, their duration.

The worker serves them on WORKER_METRICS_HOST:WORKER_METRICS_PORT at /metrics, behind
METRICS_TOKEN as the web process's /metrics is. With PROMETHEUS_MULTIPROC_DIR set (jobs
run in child processes) the numbers of every process are added up.
"""

from __future__ import annotations

import hmac
import json
import os
import threading
from collections.abc import Iterable
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server
from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram, make_wsgi_app
from prometheus_client.exposition import ThreadingWSGIServer

__all__ = ["FAILURE", "RETRY", "SUCCESS", "record", "serve"]

METRICS_PATH = "/metrics"
SUCCESS, RETRY, FAILURE = "success", "retry", "failure"

JOBS = Counter("jobs_total", "Job runs by outcome", ["job", "outcome"])
DURATION = Histogram("job_duration_seconds", "Time a job run took", ["job"])


def record(job: str, outcome: str, seconds: float) -> None:
    JOBS.labels(job=job, outcome=outcome).inc()
    DURATION.labels(job=job).observe(seconds)


def serve(host: str, port: int, token: str | None) -> WSGIServer:
    """Answer scrapes from a daemon thread; returns the server (its port, a way to stop it)."""
    server = make_server(host, port, metrics_app(token), ThreadingWSGIServer, QuietHandler)
    threading.Thread(target=server.serve_forever, name="worker-metrics", daemon=True).start()
    return server


def metrics_app(token: str | None) -> WSGIApplication:
    """prometheus_client's exposition at /metrics, only for `Bearer <token>` when one is set."""
    exposition = make_wsgi_app(registry())
    expected = f"Bearer {token}".encode() if token else None

    def app(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("PATH_INFO") != METRICS_PATH:
            return _error(start_response, "404 Not Found", "Not Found")
        given = str(environ.get("HTTP_AUTHORIZATION", "")).encode("latin-1")
        if expected is not None and not hmac.compare_digest(given, expected):
            return _error(start_response, "401 Unauthorized", "Not authenticated")
        answer: Iterable[bytes] = exposition(environ, start_response)
        return answer

    return app


def registry() -> CollectorRegistry:
    """Every process's samples in multiprocess mode; this process's own otherwise."""
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        return REGISTRY
    from prometheus_client.multiprocess import MultiProcessCollector

    collected = CollectorRegistry()
    MultiProcessCollector(collected)  # type: ignore[no-untyped-call]  # untyped upstream
    return collected


def _error(start_response: StartResponse, status: str, detail: str) -> list[bytes]:
    body = json.dumps({"detail": detail}).encode()
    headers = [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
    if status.startswith("401"):
        headers.append(("WWW-Authenticate", "Bearer"))
    start_response(status, headers)
    return [body]


class QuietHandler(WSGIRequestHandler):
    """No line per scrape in the worker's log."""

    def log_message(self, format: str, *args: object) -> None:
        del format, args
