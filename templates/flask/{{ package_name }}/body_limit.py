"""The 1 MiB body limit for chunked requests too (Werkzeug would cut them off silently).

A chunked body has no Content-Length: it is read here up to one byte past the
limit and handed on with the length it turned out to have, so Flask's own limit
check answers 413 (or lets it through like any other body).
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

DRAIN_LIMIT = 16 * 1024 * 1024
CHUNK = 64 * 1024


class ChunkedBodyLimit:
    def __init__(self, app: WSGIApplication, limit: int) -> None:
        self.app = app
        self.limit = limit

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if (
            not environ.get("CONTENT_LENGTH")
            and "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
        ):
            self._buffer(environ)
        return self.app(environ, start_response)

    def _buffer(self, environ: WSGIEnvironment) -> None:
        stream = environ["wsgi.input"]
        body = stream.read(self.limit + 1)
        if len(body) > self.limit:
            _drain(stream)  # the client then reads the 413 instead of a reset connection
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        del environ["HTTP_TRANSFER_ENCODING"]  # the body is no longer chunked


def _drain(stream: io.BufferedReader) -> None:
    drained = 0
    while drained < DRAIN_LIMIT:
        chunk = stream.read(CHUNK)
        if not chunk:
            return
        drained += len(chunk)
