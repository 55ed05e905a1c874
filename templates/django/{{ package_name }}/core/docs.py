"""The API documentation pages, allowed to load nothing but this service's own files."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest
from django.http.response import HttpResponseBase

# The assets come from this service (drf-spectacular-sidecar); the policy also keeps
# the browser from fetching the badge that ReDoc always links from its vendor's site.
# The pages start Swagger UI and ReDoc with inline scripts; ReDoc searches in a blob: worker.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "worker-src 'self' blob:",
        "connect-src 'self'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ]
)

View = Callable[..., HttpResponseBase]


def docs_page(view: View) -> View:
    """`view`, answering with the documentation pages' Content-Security-Policy."""

    @wraps(view)
    def locked_down(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        response["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
        return response

    return locked_down
