"""CONTRACT.md "Live updates": real WebSocket clients against the live production server.

The PostgreSQL contract servers are rendered with `websockets` (see servers.contract_features)
and run two worker processes with Redis, so an article written through one worker must reach
the clients of both. A second server per framework runs one worker without Redis, for the
in-process fan-out, its log line, the ping and the CORS origin.
"""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import ClientConnection, connect
from websockets.typing import Origin

from tests.contract.client import Account, ContractClient, unique
from tests.contract.servers import RunningStarter, Starter, database_url, serve, server_env
from tests.contract.websocket import PATH, event_about, next_event, ws_url
from tests.starters import commands
from tests.support import run

DELIVERY_SECONDS = 1.0
CLIENTS = 6
MESSAGE_LIMIT = 64 * 1024
CROSS_ORIGIN = Origin("http://attacker.example")
ALLOWED_ORIGIN = Origin("http://app.example")


@pytest.fixture
def live(running: RunningStarter) -> RunningStarter:
    if running.starter.database != "postgresql":
        pytest.skip("live updates are rendered into the PostgreSQL contract servers only")
    return running


@contextlib.contextmanager
def clients(base_url: str, count: int, **options: Any) -> Iterator[list[ClientConnection]]:
    with contextlib.ExitStack() as stack:
        opened = [
            stack.enter_context(connect(ws_url(base_url), open_timeout=10, **options))
            for _ in range(count)
        ]
        yield opened


def publish(api: ContractClient, author: Account, **fields: Any) -> tuple[dict[str, Any], float]:
    """Create an article; return it and the moment its request was sent."""
    sent = time.monotonic()
    article = api.create_article(author, **fields)
    return article, sent


def assert_delivered(
    client: ClientConnection, article: dict[str, Any], sent: float, expected: dict[str, Any]
) -> None:
    event = event_about(client, article["slug"], timeout=DELIVERY_SECONDS + 1)
    elapsed = time.monotonic() - sent
    assert event == {"type": "article.published", "article": expected}, event
    assert elapsed <= DELIVERY_SECONDS + 0.25, f"{article['slug']} arrived after {elapsed:.2f} s"


def test_every_client_of_both_workers_receives_a_published_article(
    live: RunningStarter, api: ContractClient, author: Account
) -> None:
    with clients(live.base_url, CLIENTS) as connected:
        for _ in range(3):
            # A fresh HTTP connection each time lets either worker handle the write.
            with httpx.Client(base_url=live.base_url, timeout=15) as http:
                fresh = ContractClient(api.base_url, api.secret_key, http, api.label)
                article, sent = publish(fresh, author)
                expected = http.get(f"/api/articles/{article['slug']}").json()
            for client in connected:
                assert_delivered(client, article, sent, expected)


def test_a_draft_sends_nothing_until_it_is_published(
    live: RunningStarter, api: ContractClient, author: Account
) -> None:
    with clients(live.base_url, 2) as connected:
        draft = api.create_article(author, published=False)
        sent = time.monotonic()
        response = api.http.patch(
            f"/api/articles/{draft['slug']}", json={"published": True}, headers=author.headers
        )
        assert response.status_code == 200, response.text
        for client in connected:
            assert_delivered(client, draft, sent, response.json())


def test_a_patch_that_keeps_an_article_published_sends_nothing(
    live: RunningStarter, api: ContractClient, author: Account
) -> None:
    with clients(live.base_url, 1) as (client,):
        article, _ = publish(api, author)
        event_about(client, article["slug"], DELIVERY_SECONDS + 1)
        edit = api.http.patch(
            f"/api/articles/{article['slug']}", json={"content": "Edited."}, headers=author.headers
        )
        assert edit.status_code == 200, edit.text
        marker, _ = publish(api, author)
        deadline = time.monotonic() + DELIVERY_SECONDS + 1
        about: list[str] = []
        while not about or about[-1] != marker["slug"]:
            event = next_event(client, timeout=max(0.0, deadline - time.monotonic()))
            about.append(event["article"]["slug"])
        assert article["slug"] not in about, "editing a published article sent it again"


def test_a_cross_origin_handshake_is_refused(live: RunningStarter) -> None:
    with pytest.raises(InvalidStatus) as refused:
        connect(ws_url(live.base_url), origin=CROSS_ORIGIN, open_timeout=10)
    assert refused.value.response.status_code == 403


def test_a_same_origin_handshake_is_accepted(live: RunningStarter) -> None:
    origin = Origin(live.base_url)
    with connect(ws_url(live.base_url), origin=origin, open_timeout=10) as client:
        client.ping().wait(5)


def test_a_message_over_64_kib_closes_with_1009(live: RunningStarter) -> None:
    with connect(ws_url(live.base_url), open_timeout=10) as client:
        client.send("x" * (MESSAGE_LIMIT - 1024))
        client.ping().wait(5)
        client.send("x" * (MESSAGE_LIMIT + 1))
        with pytest.raises(ConnectionClosed) as closed:
            client.recv(timeout=5)
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 1009


class RawWebSocket:
    """A client that does the handshake by hand, then reads only when told to."""

    def __init__(self, base_url: str, *, receive_buffer: int = 4096) -> None:
        address = urlsplit(base_url)
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, receive_buffer)
        self.sock.settimeout(10)
        self.sock.connect((address.hostname or "127.0.0.1", address.port or 80))
        self.sock.sendall(
            (
                f"GET {PATH} HTTP/1.1\r\nHost: {address.netloc}\r\nUpgrade: websocket\r\n"
                "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                "Sec-WebSocket-Version: 13\r\n\r\n"
            ).encode()
        )
        self.buffer = b""
        while b"\r\n\r\n" not in self.buffer:
            self.buffer += self._receive()
        head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        assert head.startswith(b"HTTP/1.1 101"), head[:200]

    def _receive(self) -> bytes:
        data = self.sock.recv(65536)
        if not data:
            raise EOFError("the server closed the connection")
        return data

    def _take(self, count: int) -> bytes:
        while len(self.buffer) < count:
            self.buffer += self._receive()
        taken, self.buffer = self.buffer[:count], self.buffer[count:]
        return taken

    def frame(self) -> tuple[int, bytes]:
        """The next frame from the server: (opcode, payload)."""
        first, second = self._take(2)
        length = second & 0x7F
        if length == 126:
            (length,) = struct.unpack("!H", self._take(2))
        elif length == 127:
            (length,) = struct.unpack("!Q", self._take(8))
        return first & 0x0F, self._take(length)

    def close_code(self, deadline: float) -> int | None:
        """Read until the server's close frame; its code, or None if it never came."""
        self.sock.settimeout(deadline)
        with contextlib.suppress(EOFError, OSError):
            while True:
                opcode, payload = self.frame()
                if opcode == 0x8:
                    code: int = struct.unpack("!H", payload[:2])[0]
                    return code
        return None

    def close(self) -> None:
        self.sock.close()


@dataclass
class Reader:
    """A client that reads all the time, noting when each article arrived."""

    client: ClientConnection
    arrivals: dict[str, float] = field(default_factory=dict)
    stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        with contextlib.suppress(TimeoutError, ConnectionClosed):
            while not self.stop.is_set():
                event = next_event(self.client, timeout=5)
                self.arrivals[event["article"]["slug"]] = time.monotonic()


def test_a_client_that_never_reads_delays_nobody_and_is_closed_with_1008(
    live: RunningStarter, api: ContractClient, author: Account
) -> None:
    stalled = RawWebSocket(live.base_url)
    content = "y" * 60_000
    sent: dict[str, float] = {}
    with clients(live.base_url, 1) as (client,):
        reader = Reader(client)
        thread = threading.Thread(target=reader.run, daemon=True)
        thread.start()
        try:
            # Past the socket buffers and any bounded queue: the stalled client falls behind.
            for _ in range(220):
                started = time.monotonic()
                body = {"title": unique("Flood "), "content": content, "published": True}
                response = api.http.post("/api/articles", json=body, headers=author.headers)
                assert response.status_code == 201, response.text
                sent[response.json()["slug"]] = started
            deadline = time.monotonic() + DELIVERY_SECONDS + 2
            while len(reader.arrivals) < len(sent) and time.monotonic() < deadline:
                time.sleep(0.05)
        finally:
            reader.stop.set()
            thread.join(timeout=10)
    missing = set(sent) - set(reader.arrivals)
    assert not missing, f"{len(missing)} articles never reached the reading client"
    late = {slug: reader.arrivals[slug] - sent[slug] for slug in sent}
    slowest = max(late.values())
    assert slowest <= DELIVERY_SECONDS + 0.25, f"the reading client waited {slowest:.2f} s"
    try:
        assert stalled.close_code(deadline=15) == 1008
    finally:
        stalled.close()


@pytest.fixture(scope="module")
def one_process(postgresql_starter: Starter) -> Iterator[RunningStarter]:
    """One worker without Redis: fan-out stays in the process; pings every second."""
    overrides = {"LIVE_PING_SECONDS": "1", "CORS_ORIGINS": ALLOWED_ORIGIN}
    with database_url(postgresql_starter) as url:
        env = server_env(postgresql_starter, url, **overrides)
        env.pop("REDIS_URL")
        run(
            commands(postgresql_starter.framework).migrate,
            cwd=postgresql_starter.project_dir,
            env=env,
        )
        with serve(postgresql_starter, env, workers=1) as server:
            yield RunningStarter(postgresql_starter, server, env)


@pytest.fixture(scope="module")
def one_process_api(one_process: RunningStarter) -> Iterator[ContractClient]:
    with httpx.Client(base_url=one_process.base_url, timeout=15) as http:
        yield ContractClient(one_process.base_url, one_process.secret_key, http, "one-process")


def test_without_redis_the_server_says_fan_out_is_in_process(one_process: RunningStarter) -> None:
    log = one_process.server.output()
    assert "REDIS_URL is not set" in log, log[-2000:]
    assert "Traceback" not in log, log[-2000:]


def test_without_redis_the_clients_of_the_process_receive_events(
    one_process: RunningStarter, one_process_api: ContractClient
) -> None:
    author = one_process_api.register()
    with clients(one_process.base_url, 3) as connected:
        article, sent = publish(one_process_api, author)
        expected = one_process_api.http.get(f"/api/articles/{article['slug']}").json()
        for client in connected:
            assert_delivered(client, article, sent, expected)


def test_the_server_pings_at_the_configured_interval(one_process: RunningStarter) -> None:
    raw = RawWebSocket(one_process.base_url)
    try:
        raw.sock.settimeout(5)
        opcode, _ = raw.frame()
        assert opcode == 0x9, f"expected a ping, got opcode {opcode:#x}"
    finally:
        raw.close()


def test_an_origin_listed_in_cors_origins_is_accepted(one_process: RunningStarter) -> None:
    url = ws_url(one_process.base_url)
    with connect(url, origin=ALLOWED_ORIGIN, open_timeout=10) as client:
        client.ping().wait(5)
    with pytest.raises(InvalidStatus) as refused:
        connect(url, origin=CROSS_ORIGIN, open_timeout=10)
    assert refused.value.response.status_code == 403
