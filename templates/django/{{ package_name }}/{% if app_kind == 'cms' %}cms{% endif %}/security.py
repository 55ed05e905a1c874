"""The content site's Content-Security-Policy: strict for its pages, relaxed for /cms/ only.

Wagtail's admin starts some of its widgets with inline scripts (the date picker, the
inline panels) and its accessibility checker compiles templates with `new Function`,
so its pages need 'unsafe-inline' and 'unsafe-eval' for scripts; it frames its own
previews. Nothing outside /cms/ gets that policy: the site's pages load this origin's
files only and run no inline code.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest
from django.http.response import HttpResponseBase

SITE_POLICY = "default-src 'self'; frame-ancestors 'none'; form-action 'self'"
ADMIN_POLICY = (
    "default-src 'self'; "
    "script-src 'self' 'unsafe-inline' 'unsafe-eval'; "
    "style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; "
    "font-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; "
    "frame-ancestors 'self'; form-action 'self'"
)
ADMIN_PREFIX = "/cms/"

View = Callable[..., HttpResponseBase]


def with_policy(view: View, policy: str) -> View:
    """`view`, answering with `policy` unless it set a Content-Security-Policy itself."""

    @wraps(view)
    def secured(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        response.setdefault("Content-Security-Policy", policy)
        return response

    return secured
