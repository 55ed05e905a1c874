"""Error pages: JSON under /api, Django's HTML pages elsewhere."""

from __future__ import annotations

import sys

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.views import csrf, defaults
from django.views.decorators.csrf import csrf_exempt

from .responses import SERVICE_UNAVAILABLE, json_error, unavailable_errors

API_PREFIX = "/api/"


def is_api(request: HttpRequest) -> bool:
    return request.path == API_PREFIX.rstrip("/") or request.path.startswith(API_PREFIX)


@csrf_exempt
def api_not_found(request: HttpRequest, path: str = "") -> HttpResponse:
    """The catch-all route under /api, so unknown paths answer JSON even with DEBUG on."""
    return json_error("Not found.", status=404)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api(request):
        return json_error("Bad Request", status=400)
    return defaults.bad_request(request, exception)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api(request):
        return json_error("You do not have permission to perform this action.", status=403)
    return defaults.permission_denied(request, exception)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api(request):
        return json_error("Not found.", status=404)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    """500, or 503 when the database or the cache could not be reached or answer in time."""
    # Django calls this handler while it handles the exception: exc_info() is that one.
    if isinstance(sys.exc_info()[1], unavailable_errors()):
        return service_unavailable(request)
    if is_api(request):
        return json_error("Internal Server Error", status=500)
    return defaults.server_error(request)


def service_unavailable(request: HttpRequest) -> HttpResponse:
    if is_api(request):
        response: HttpResponse = json_error(SERVICE_UNAVAILABLE, status=503)
    else:
        response = HttpResponse(render_to_string("errors/503.html"), status=503)
    response["Retry-After"] = "5"
    return response


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    if is_api(request):
        return json_error("CSRF verification failed.", status=403)
    return csrf.csrf_failure(request, reason)
