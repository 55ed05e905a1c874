"""WSGI middleware: each answer counted and timed by its route template, and its access line."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from flask import request
from sqlalchemy.pool import Pool

from ..security import REQUEST_ID_ENVIRON

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

UNMATCHED = "unmatched"
METRICS_PATH = "/metrics"
ROUTE_ENVIRON = "observability.route"
# Flask's `<slug>` and `<int:id>` spelled `{slug}` and `{id}`, as in the OpenAPI document.
RULE_PARAMETER = re.compile(r"<(?:[^<>:]+:)?([^<>]+)>")


def route_template(rule: str) -> str:
    return RULE_PARAMETER.sub(r"{\1}", rule)


def route_of(environ: WSGIEnvironment) -> str:
    return str(environ.get(ROUTE_ENVIRON, UNMATCHED))


def remember_the_route(_error: BaseException | None = None) -> None:
    """Flask's teardown hook: the matched rule's template, left in the environ for the count."""
    if request.url_rule is not None:
        request.environ[ROUTE_ENVIRON] = route_template(request.url_rule.rule)


class RequestObserver:
    def __init__(
        self,
        app: WSGIApplication,
        *,
        pool: Pool,
        metrics: bool,
        access_log: logging.Logger | None,
    ) -> None:
        self.app = app
        self.pool = pool
        self.metrics = metrics
        self.access_log = access_log

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        started = time.perf_counter()
        status = 500  # what the server answers when the application raises

        def observed(
            line: str, headers: list[tuple[str, str]], exc_info: Any = None
        ) -> Callable[[bytes], object]:
            nonlocal status
            status = int(line.partition(" ")[0])
            return start_response(line, headers, exc_info)

        try:
            return self.app(environ, observed)
        finally:
            self.report(environ, status, time.perf_counter() - started)

    def report(self, environ: WSGIEnvironment, status: int, seconds: float) -> None:
        method = environ.get("REQUEST_METHOD", "")
        path = environ.get("PATH_INFO", "")
        if self.metrics and path != METRICS_PATH:
            from .metrics import observe, report_pool

            observe(method, route_of(environ), status, seconds)
            report_pool(self.pool)
        if self.access_log is not None:
            fields = {
                "method": method,
                "path": path,
                "status": status,
                "duration_ms": round(seconds * 1000, 2),
                "request_id": environ.get(REQUEST_ID_ENVIRON),
            }
            self.access_log.info("%s %s %s", method, path, status, extra=fields)
