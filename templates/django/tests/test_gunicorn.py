"""The production server's settings, and the production server itself on a keep-alive connection."""

from __future__ import annotations

import http.client
import os
import runpy
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from gunicorn.config import Config
from gunicorn.http.parser import RequestParser

PROJECT_DIR = Path(__file__).resolve().parent.parent
GUNICORN_CONF = PROJECT_DIR / "gunicorn.conf.py"
START_TIMEOUT_SECONDS = 30.0
ONE_MIB = 1024 * 1024


def pre_request() -> Callable[[object, Any], None]:
    hook: Callable[[object, Any], None] = runpy.run_path(str(GUNICORN_CONF))["pre_request"]
    return hook


def parsed_request(head: str) -> Any:
    """A request as gunicorn parses it from the wire."""
    raw = f"{head}\r\nHost: localhost\r\n\r\n".encode()
    return next(RequestParser(Config(), iter([raw]), ("127.0.0.1", 40000)))


@pytest.mark.parametrize(
    ("headers", "closes"),
    [
        ("Content-Length: 2", False),
        (f"Content-Length: {2 * ONE_MIB}", False),
        (f"Content-Length: {settings.REQUEST_BODY_DRAIN_MAX_SIZE}", False),
        (f"Content-Length: {settings.REQUEST_BODY_DRAIN_MAX_SIZE + 1}", True),
        ("Transfer-Encoding: chunked", True),
    ],
)
def test_connections_close_after_bodies_the_service_will_not_read(
    headers: str, closes: bool
) -> None:
    request = parsed_request(f"POST /api/articles HTTP/1.1\r\n{headers}")
    pre_request()(object(), request)
    assert request.should_close() is closes


def test_requests_without_a_body_keep_the_connection() -> None:
    request = parsed_request("GET /api/health HTTP/1.1")
    pre_request()(object(), request)
    assert request.should_close() is False


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_for_port(port: int, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"gunicorn stopped: {server.communicate()[0].decode()[-2000:]}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    pytest.fail("gunicorn did not start listening in time")


@pytest.fixture(scope="module")
def gunicorn_port() -> Iterator[int]:
    """gunicorn with this project's gunicorn.conf.py and threaded worker, the test settings."""
    port = free_port()
    env = {**os.environ, "ENVIRONMENT": "test", "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    argv = [sys.executable, "-m", "gunicorn", "--config", str(GUNICORN_CONF)]
    argv += ["--bind", f"127.0.0.1:{port}", "--workers", "1"]
    argv += ["--worker-class", "config.gunicorn_worker.Worker", "config.wsgi"]
    server = subprocess.Popen(
        argv, cwd=PROJECT_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        wait_for_port(port, server)
        yield port
    finally:
        server.terminate()
        server.communicate(timeout=30)


def test_a_connection_that_was_refused_a_large_body_serves_the_next_request(
    gunicorn_port: int,
) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", gunicorn_port, timeout=10)
    try:
        body = b"x" * (ONE_MIB + 1)
        connection.request("POST", "/api/articles", body, {"Content-Type": "application/json"})
        refused = connection.getresponse()
        refused.read()
        assert (refused.status, refused.getheader("Connection")) == (413, "keep-alive")
        connection.request("GET", "/api/health")
        assert connection.getresponse().status == 200
    finally:
        connection.close()


def raw_exchange(port: int, data: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(data)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
        return answer


def chunked(body: bytes, size: int = 64 * 1024) -> bytes:
    pieces = [body[i : i + size] for i in range(0, len(body), size)]
    return b"".join(b"%x\r\n%s\r\n" % (len(piece), piece) for piece in pieces) + b"0\r\n\r\n"


def post_chunked(port: int, body: bytes) -> bytes:
    head = b"POST /api/auth/register HTTP/1.1\r\nHost: localhost\r\n"
    head += b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
    return raw_exchange(port, head + chunked(body))


def test_chunked_bodies_are_read_and_limited(gunicorn_port: int) -> None:
    small = post_chunked(gunicorn_port, b'{"username": "ada"}')
    assert small.startswith(b"HTTP/1.1 422 "), small[:300]  # the body was read: fields missing
    large = post_chunked(gunicorn_port, b'{"username": "' + b"x" * (2 * ONE_MIB) + b'"}')
    assert large.startswith(b"HTTP/1.1 413 "), large[:300]
    assert b"connection: close" in large.lower()


@pytest.mark.parametrize(
    "request_head",
    [
        b"GET /" + b"x" * 10_000 + b" HTTP/1.1\r\nHost: localhost\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Big: " + b"y" * 20_000 + b"\r\n\r\n",
        b"GET / HTTP/1.1\r\n" + b"".join(b"X-%d: y\r\n" % n for n in range(200)) + b"\r\n",
        b"\x16\x03\x01 garbage\r\n\r\n",
    ],
)
def test_answers_of_the_server_itself_carry_the_security_headers(
    gunicorn_port: int, request_head: bytes
) -> None:
    answer = raw_exchange(gunicorn_port, request_head)
    head = answer.split(b"\r\n\r\n", 1)[0].decode("latin-1")
    assert head.split(" ", 2)[1] in {"400", "414", "431"}, head
    for header in ("X-Content-Type-Options: nosniff", "X-Frame-Options: DENY"):
        assert header in head


def test_clients_that_trickle_their_headers_do_not_stop_the_others(gunicorn_port: int) -> None:
    slow = [socket.create_connection(("127.0.0.1", gunicorn_port)) for _ in range(40)]
    try:
        for connection in slow:
            connection.sendall(b"GET /api/health HTTP/1.1\r\nHost: localhost\r\nX-Slow: ")
        for _ in range(10):
            started = time.monotonic()
            answer = http.client.HTTPConnection("127.0.0.1", gunicorn_port, timeout=10)
            answer.request("GET", "/api/health")
            assert answer.getresponse().status == 200
            answer.close()
            assert time.monotonic() - started < 3  # about a millisecond when it works
            for connection in slow:
                connection.sendall(b"x")
    finally:
        for connection in slow:
            connection.close()
