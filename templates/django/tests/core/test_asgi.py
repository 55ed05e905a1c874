"""Request bodies under the ASGI server: bounded before Django reads them."""

from __future__ import annotations

from typing import Any

import pytest
from asgiref.sync import async_to_sync
from asgiref.testing import ApplicationCommunicator
from django.conf import settings

from config.asgi import application

LIMIT = settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def http_scope(method: str, path: str, headers: list[tuple[bytes, bytes]]) -> dict[str, Any]:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "headers": [(b"host", b"testserver"), *headers],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }


def exchange(scope: dict[str, Any], chunks: list[bytes]) -> tuple[int, bytes]:
    async def talk() -> tuple[int, bytes]:
        server = ApplicationCommunicator(application, scope)
        for index, chunk in enumerate(chunks):
            more = index < len(chunks) - 1
            await server.send_input({"type": "http.request", "body": chunk, "more_body": more})
        start = await server.receive_output(timeout=10)
        body = b""
        while True:
            message = await server.receive_output(timeout=10)
            body += message.get("body", b"")
            if not message.get("more_body", False):
                return int(start["status"]), body

    return async_to_sync(talk)()


JSON = [(b"content-type", b"application/json")]


@pytest.mark.django_db
def test_a_chunked_body_over_the_limit_is_413() -> None:
    chunks = [b"x" * 65536] * (LIMIT // 65536 + 2)
    scope = http_scope("POST", "/api/articles", [*JSON, (b"transfer-encoding", b"chunked")])
    status, body = exchange(scope, chunks)
    assert status == 413
    assert b"detail" in body


@pytest.mark.django_db
def test_a_declared_length_over_the_limit_is_413_unread() -> None:
    scope = http_scope("POST", "/api/articles", [*JSON, (b"content-length", b"2000000")])
    assert exchange(scope, [b""])[0] == 413


@pytest.mark.django_db
def test_a_body_under_the_limit_reaches_the_view() -> None:
    scope = http_scope("POST", "/api/auth/register", [*JSON, (b"transfer-encoding", b"chunked")])
    status, _ = exchange(scope, [b'{"username": "ada", ', b'"email": "x"}'])
    assert status == 422  # read and validated: no password, a bad email


@pytest.mark.django_db
def test_a_request_without_a_body_is_served() -> None:
    scope = http_scope("GET", "/api/health", [(b"content-length", b"not a number")])
    assert exchange(scope, [b""]) == (200, b'{"status":"ok"}')
