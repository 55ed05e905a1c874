"""The gunicorn worker's head reading and error answers, driven by hand on socket pairs."""

from __future__ import annotations

import os
import selectors
import socket
import time
from collections.abc import Iterator
from concurrent.futures import Future
from typing import Any

import pytest
from gunicorn.config import Config
from gunicorn.glogging import Logger
from gunicorn.workers.gthread import TConn

from config import gunicorn_worker
from config.gunicorn_worker import GONE, READY, TOO_LARGE, WAIT, HeadReader, Worker, write_error

HEAD = b"GET /api/health HTTP/1.1\r\nHost: localhost\r\n\r\n"


class InlinePool:
    """A thread pool that runs nothing: the test looks at what was handed to it."""

    def __init__(self) -> None:
        self.submitted: list[Any] = []

    def submit(self, function: Any, conn: Any) -> Future[Any]:
        self.submitted.append(conn)
        return Future()


@pytest.fixture
def worker() -> Iterator[Worker]:
    cfg = Config()
    made = Worker(0, os.getpid(), [], None, 30, cfg, Logger(cfg))
    made.heads = {}
    made.poller = selectors.DefaultSelector()
    made.tpool = InlinePool()
    made.method_queue.init()
    made.nr_conns = 1
    yield made
    made.poller.close()
    made.method_queue.close()
    made.tmp.close()


@pytest.fixture
def pair() -> Iterator[tuple[socket.socket, socket.socket]]:
    client, server = socket.socketpair()
    with client, server:
        yield client, server


def connection(worker: Worker, server: socket.socket) -> Any:
    return TConn(worker.cfg, server, ("127.0.0.1", 40000), ("127.0.0.1", 8000))


def dispatch(worker: Worker) -> None:
    for key, _ in worker.poller.select(timeout=1):
        key.data(key.fileobj)


def test_head_reader_outcomes(pair: tuple[socket.socket, socket.socket]) -> None:
    client, server = pair
    server.setblocking(False)
    head = HeadReader(deadline=0)
    assert head.receive(server) == WAIT
    client.sendall(HEAD[:10])
    assert head.receive(server) == WAIT
    client.sendall(HEAD[10:])
    assert head.receive(server) == READY
    big = HeadReader(deadline=0)
    client.sendall(b"GET / HTTP/1.1\r\n" + b"X: " + b"y" * gunicorn_worker.MAX_HEAD_BYTES)
    outcomes = {big.receive(server) for _ in range(4)}
    assert TOO_LARGE in outcomes
    client.shutdown(socket.SHUT_WR)
    server.recv(1 << 20)
    assert HeadReader(deadline=0).receive(server) == GONE


def test_a_head_that_trickles_in_holds_no_thread(
    worker: Worker, pair: tuple[socket.socket, socket.socket]
) -> None:
    client, server = pair
    conn = connection(worker, server)
    client.sendall(HEAD[:5])
    worker.enqueue_req(conn)
    assert worker.tpool.submitted == []
    client.sendall(HEAD[5:])
    dispatch(worker)
    assert worker.tpool.submitted == [conn]
    requests: list[Any] = []

    def handle_request(req: Any, conn: Any) -> bool:
        requests.append(req)
        return False

    worker.handle_request = handle_request
    assert worker.handle(conn) is False
    assert requests[0].path == "/api/health"


def test_a_head_that_never_completes_is_closed(
    worker: Worker, pair: tuple[socket.socket, socket.socket]
) -> None:
    client, server = pair
    conn = connection(worker, server)
    client.sendall(HEAD[:5])
    worker.enqueue_req(conn)
    worker.heads[conn].deadline = time.monotonic() - 1
    worker.murder_pending()
    assert (worker.heads, worker.nr_conns, worker.tpool.submitted) == ({}, 0, [])
    assert client.recv(10) == b""


def test_a_head_over_the_limit_is_431(
    worker: Worker, pair: tuple[socket.socket, socket.socket]
) -> None:
    client, server = pair
    client.sendall(b"GET / HTTP/1.1\r\nX: " + b"y" * (gunicorn_worker.MAX_HEAD_BYTES + 10))
    worker.enqueue_req(connection(worker, server))
    while worker.heads:
        dispatch(worker)
    answer = client.recv(4096)
    assert answer.startswith(b"HTTP/1.1 431 ")
    assert b"X-Content-Type-Options: nosniff\r\n" in answer


def test_a_client_that_leaves_is_forgotten(
    worker: Worker, pair: tuple[socket.socket, socket.socket]
) -> None:
    client, server = pair
    worker.enqueue_req(connection(worker, server))
    client.close()
    dispatch(worker)
    assert (worker.heads, worker.nr_conns) == ({}, 0)


def test_errors_gunicorn_writes_carry_the_security_headers(
    pair: tuple[socket.socket, socket.socket],
) -> None:
    client, server = pair
    write_error(server, 414, "URI Too Long", "Invalid request line: GET /<script>")
    answer = client.recv(4096).decode()
    head, _, body = answer.partition("\r\n\r\n")
    assert head.startswith("HTTP/1.1 414 URI Too Long\r\n")
    for header in ("X-Content-Type-Options: nosniff", "X-Frame-Options: DENY"):
        assert header in head
    assert "Referrer-Policy: same-origin" in head
    assert "<script>" not in body
    assert f"Content-Length: {len(body)}" in head
