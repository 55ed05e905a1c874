"""Request IDs and the request body size limit."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from .logging import current_request_id
from .responses import json_error

REQUEST_ID_HEADER = "X-Request-ID"
# Client-chosen IDs are echoed only when they are short and harmless in logs and headers.
SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:/+=-]{1,128}$")

Handler = Callable[[HttpRequest], HttpResponse]


def request_id_for(request: HttpRequest) -> str:
    sent = request.headers.get(REQUEST_ID_HEADER, "")
    return sent if SAFE_REQUEST_ID.match(sent) else uuid.uuid4().hex


class RequestIDMiddleware:
    """Echo the client's X-Request-ID, or make one, on every response and log line."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_for(request)
        # Left set after the response: Django logs 4xx/5xx answers just outside
        # the middleware chain, and those lines should carry the ID too.
        current_request_id.set(request_id)
        response = self.get_response(request)
        response[REQUEST_ID_HEADER] = request_id
        return response


class BodySizeLimitMiddleware:
    """Refuse bodies over DATA_UPLOAD_MAX_MEMORY_SIZE with 413 before anything reads them.

    Django enforces the limit only for form data; REST framework's parsers read
    the stream directly, so the declared Content-Length is checked here.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if content_length(request) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
            return json_error(f"Request body exceeds {limit} bytes", status=413)
        return self.get_response(request)


def content_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0
