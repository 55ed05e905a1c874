"""WSGI-level pieces that Django cannot do itself: chunked request bodies."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from .bodies import limit_for

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class ChunkedBodies:
    """Give Django a sized body when the client sent it chunked (no Content-Length).

    Django reads CONTENT_LENGTH bytes and nothing else, so a chunked body would
    look empty. Up to `limit` + 1 bytes are read here (or the limit `larger` gives
    the path, as core.middleware.body_size_limit does): a body past the limit
    reaches core.middleware.BodySizeLimitMiddleware with a length over it, and
    gets its 413 there like any other. gunicorn.conf.py closes such connections.
    """

    def __init__(
        self, app: WSGIApp, *, limit: int, larger: Mapping[str, int] | None = None
    ) -> None:
        self.app = app
        self.limit = limit
        self.larger = larger or {}

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        if "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower() and not environ.get(
            "CONTENT_LENGTH"
        ):
            path = str(environ.get("PATH_INFO", ""))
            limit = limit_for(path, general=self.limit, larger=self.larger)
            body = environ["wsgi.input"].read(limit + 1)
            environ["wsgi.input"] = io.BytesIO(body)
            environ["CONTENT_LENGTH"] = str(len(body))
        return self.app(environ, start_response)
