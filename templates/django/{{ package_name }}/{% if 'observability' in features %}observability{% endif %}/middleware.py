"""What each request reports: metrics, its route on the trace, the access line."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.http import HttpRequest, HttpResponse

from ..core.logging import current_request_id
from .routes import route_of

access_log = logging.getLogger(f"{__package__}.access")
Handler = Callable[[HttpRequest], HttpResponse]


class ObservabilityMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response
        self.access = settings.LOG_FORMAT == "json"
        self.traced = bool(settings.OTEL_EXPORTER_OTLP_ENDPOINT)
        self.metrics = settings.METRICS_ENABLED
        if not (self.access or self.traced or self.metrics):
            raise MiddlewareNotUsed

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        if self.metrics:
            from . import metrics

            with metrics.in_use():
                response = self.get_response(request)
        else:
            response = self.get_response(request)
        elapsed = time.perf_counter() - started
        route = route_of(request)
        if self.metrics and request.path != "/metrics":
            metrics.observe(request.method or "", route, response.status_code, elapsed)
        if self.traced and route != "unmatched":
            from .tracing import name_the_route

            name_the_route(route)
        if self.access:
            self.log_access(request, response, elapsed)
        return response

    def log_access(self, request: HttpRequest, response: HttpResponse, elapsed: float) -> None:
        fields = {
            "method": request.method,
            "path": request.path,
            "status": response.status_code,
            "duration_ms": round(elapsed * 1000, 2),
            "request_id": current_request_id.get(),
        }
        access_log.info(
            "%s %s %s", fields["method"], fields["path"], fields["status"], extra=fields
        )
