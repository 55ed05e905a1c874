"""Proxies, request IDs, request bodies (size limit, empty JSON, left unread), bad query text."""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from urllib.parse import parse_qsl

from django.conf import settings
from django.http import HttpRequest, HttpResponse, UnreadablePostError

from .bodies import limit_for
from .logging import current_request_id
from .proxies import FORWARDED_HEADERS, client_address, is_trusted, parse_networks
from .responses import MALFORMED_BODY, json_error

REQUEST_ID_HEADER = "X-Request-ID"
REQUEST_ID_META_KEY = "HTTP_X_REQUEST_ID"
# Client-chosen IDs are echoed only when they are short and harmless in logs and headers.
SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:/+=-]{1,128}$")
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
DRAIN_CHUNK_SIZE = 64 * 1024
NULL_CHARACTERS = "Null characters are not allowed."

Handler = Callable[[HttpRequest], HttpResponse]


def request_id_for(request: HttpRequest) -> str:
    # From META: request.headers would build a mapping of every header first.
    sent = str(request.META.get(REQUEST_ID_META_KEY, ""))
    return sent if SAFE_REQUEST_ID.match(sent) else new_request_id()


def new_request_id() -> str:
    """128 random bits in hex, like uuid4().hex.

    From the process's own generator (reseeded in each forked worker), not from the
    kernel's: os.urandom lets go of the GIL for its system call, and the thread then
    waits for the other request threads to hand it back. An ID that ties log lines
    together needs to be unique, not secret.
    """
    return f"{random.getrandbits(128):032x}"


class TrustedProxyMiddleware:
    """Believe X-Forwarded-For and X-Forwarded-Proto only from a peer in TRUSTED_PROXIES.

    From a trusted proxy, REMOTE_ADDR becomes the client's address (so the login
    throttle, the logs and the admin see the real client); from anyone else the
    forwarded headers are dropped, so SECURE_PROXY_SSL_HEADER cannot be spoofed.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response
        self.networks = parse_networks(settings.TRUSTED_PROXIES)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        meta = request.META
        peer = str(meta.get("REMOTE_ADDR", ""))
        if self.networks and is_trusted(peer, self.networks):
            forwarded_for = str(meta.get("HTTP_X_FORWARDED_FOR", ""))
            meta["REMOTE_ADDR"] = client_address(peer, forwarded_for, self.networks)
        else:
            for header in FORWARDED_HEADERS:
                meta.pop(header, None)
        return self.get_response(request)


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


class UnreadBodyMiddleware:
    """Read to its end, and drop, whatever part of the request body was left unread.

    gunicorn serves a kept-alive connection's next request only after the
    previous body has been read to its end, and reads at most 64 KiB of it
    itself: past that it closes the connection, although the answer already
    said keep-alive, and a client that sends its next request on it gets no
    answer. Answers given before the body is read (413, 401, ...) leave it unread.
    Bodies over REQUEST_BODY_DRAIN_MAX_SIZE are not worth reading; for those
    gunicorn.conf.py makes the answer say `Connection: close` instead.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if 0 < content_length(request) <= settings.REQUEST_BODY_DRAIN_MAX_SIZE:
            discard_unread_body(request)
        return response


def discard_unread_body(request: HttpRequest) -> None:
    # Django's stream stops at Content-Length, so this reads no further than the body.
    try:
        while request.read(DRAIN_CHUNK_SIZE):
            pass
    except UnreadablePostError:
        pass  # The client is gone; so is the connection.


class BodySizeLimitMiddleware:
    """Refuse bodies over DATA_UPLOAD_MAX_MEMORY_SIZE with 413 before anything reads them
    (or over the larger limit of their path in LARGER_BODY_PATHS).

    Django enforces the limit only for form data; REST framework's parsers read
    the stream directly, so the declared Content-Length is checked here.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = body_size_limit(request.path_info)
        if content_length(request) > limit:
            return json_error(f"Request body exceeds {limit} bytes", status=413)
        return self.get_response(request)


def body_size_limit(path: str) -> int:
    """DATA_UPLOAD_MAX_MEMORY_SIZE, or the larger limit LARGER_BODY_PATHS gives `path`."""
    general: int = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return limit_for(path, general=general, larger=settings.LARGER_BODY_PATHS)


class EmptyJSONBodyMiddleware:
    """Answer 400 to a POST, PUT or PATCH that declares JSON but sends no body.

    An empty body is not a JSON document, but REST framework never hands an
    empty body to its parser: it would read the request as `{}`.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if is_empty_json_body(request):
            return json_error(MALFORMED_BODY, status=400)
        return self.get_response(request)


def is_empty_json_body(request: HttpRequest) -> bool:
    media_type = (request.content_type or "").lower()
    is_json = media_type == "application/json" or media_type.endswith("+json")
    return request.method in BODY_METHODS and is_json and content_length(request) == 0


def content_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


class QueryTextMiddleware:
    """Answer 422 to a query string carrying a NUL character, which no database stores.

    Percent-decoding replaces invalid UTF-8 (and so lone surrogates), which leaves
    NUL as the one character a query string can smuggle into a database query.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = str(request.META.get("QUERY_STRING", ""))
        if "%00" in query or "\x00" in query:
            return json_error(null_character_errors(query), status=422)
        return self.get_response(request)


def null_character_errors(query: str) -> list[dict[str, object]]:
    return [
        {"loc": ["query", name], "msg": NULL_CHARACTERS, "type": "null_characters"}
        for name, value in parse_qsl(query, keep_blank_values=True)
        if "\x00" in name or "\x00" in value
    ]
