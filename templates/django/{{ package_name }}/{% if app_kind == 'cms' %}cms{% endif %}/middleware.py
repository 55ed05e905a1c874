"""The admin's pages answer with the admin's Content-Security-Policy (see security)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .security import ADMIN_POLICY, ADMIN_PREFIX

Handler = Callable[[HttpRequest], HttpResponse]


class AdminContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith(ADMIN_PREFIX):
            response.setdefault("Content-Security-Policy", ADMIN_POLICY)
        return response
