"""The pages load nothing but this service's own files, so they can forbid everything else."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest
from django.http.response import HttpResponseBase

CONTENT_SECURITY_POLICY = "default-src 'self'; frame-ancestors 'none'; form-action 'self'"

View = Callable[..., HttpResponseBase]


def strict_csp(view: View) -> View:
    """`view`, answering with a Content-Security-Policy that allows this origin only."""

    @wraps(view)
    def secured(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        response.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        return response

    return secured
