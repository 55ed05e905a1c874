"""A throttled HTML login answers 429 with a page that says how long to wait."""

from __future__ import annotations

import math
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from .forms import LoginThrottled

Handler = Callable[[HttpRequest], HttpResponse]


class LoginThrottleMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, LoginThrottled):
            return None
        minutes = max(1, math.ceil(exception.wait / 60))
        page = render_to_string("users/login_throttled.html", {"minutes": minutes})
        response = HttpResponse(page, status=429)
        response["Retry-After"] = str(exception.wait)
        return response
