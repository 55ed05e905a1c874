"""How many idle WebSocket clients each starter holds, and how fast an article reaches them.

    .venv/bin/python -m benchmarks.live [--framework fastapi] [--clients 1000] [--articles 20]
    .venv/bin/python -m benchmarks.live --write-readme

For each framework, the starter rendered with `websockets` runs its production server with ONE
worker process, Redis for the fan-out and PostgreSQL, as in production. One client process
opens `--clients` connections to /api/ws/articles and keeps them idle; "held" counts those
still open after a pause. Then articles are published one at a time through the HTTP API and
every held client notes when the event arrives: the latency from the moment the request was
sent to the moment a client read the event, as p50 and p99 over all clients and articles.
The clients share one event loop, so the tail includes the time this process itself takes to
read 1,000 messages.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import resource
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import WebSocketException

from benchmarks.limits import machine, write_readme
from tests.starters import commands
from tests.support import (
    FRAMEWORKS,
    LiveServer,
    ensure_venv,
    free_port,
    live_server,
    postgres_database,
    production_env,
    redis_url,
    render,
    run,
    starter_env,
)

PATH = "/api/ws/articles"
PASSWORD = "correct-horse-battery-staple"
SETTLE_SECONDS = 3
CONNECT_TIMEOUT = 20
README_START, README_END = "<!-- live:start -->", "<!-- live:end -->"


@dataclass
class Result:
    framework: str
    asked: int
    held: int
    latencies: list[float] = field(default_factory=list)
    delivered: int = 0
    expected: int = 0

    def percentile(self, share: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000


def raise_open_file_limit(needed: int) -> None:
    """Both this process and the server it starts need a descriptor per connection."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = min(hard, max(soft, needed * 2 + 256))
    resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))


@contextlib.contextmanager
def live_starter(framework: str, scratch: Path) -> Iterator[LiveServer]:
    features = ["accounts", "api_docs", "websockets"]
    project = render(framework, scratch / framework, features=features)
    python = ensure_venv(project)
    with postgres_database(f"live_{framework}") as url:
        settings = production_env(database_url=url, redis=redis_url(15))
        settings.update(WEB_CONCURRENCY="1")
        env = starter_env(project, python, **settings)
        run(commands(framework).migrate, cwd=project, env=env)
        port = free_port()
        argv = commands(framework).serve(port, 1)
        log = project / "live-server.log"
        with live_server(argv, port=port, cwd=project, env=env, log=log) as server:
            yield server


async def open_client(url: str) -> ClientConnection | None:
    with contextlib.suppress(OSError, TimeoutError, WebSocketException):
        return await connect(url, open_timeout=CONNECT_TIMEOUT, max_size=2**20)
    return None


async def listen(client: ClientConnection, arrivals: dict[str, list[float]]) -> None:
    with contextlib.suppress(WebSocketException):
        async for message in client:
            slug = str(message).split('"slug":', 1)[1].split('"')[1]
            arrivals.setdefault(slug, []).append(time.monotonic())


async def author_token(http: httpx.AsyncClient) -> str:
    username = f"bench{int(time.time() * 1000) % 10**9}"
    body = {"username": username, "email": f"{username}@example.com", "password": PASSWORD}
    (await http.post("/api/auth/register", json=body)).raise_for_status()
    response = await http.post("/api/auth/token", data={"username": username, "password": PASSWORD})
    response.raise_for_status()
    token: str = response.json()["access_token"]
    return token


async def measure(server: LiveServer, framework: str, clients: int, articles: int) -> Result:
    url = server.base_url.replace("http://", "ws://", 1) + PATH
    opened = await asyncio.gather(*(open_client(url) for _ in range(clients)))
    connected = [client for client in opened if client is not None]
    arrivals: dict[str, list[float]] = {}
    listeners = [asyncio.create_task(listen(client, arrivals)) for client in connected]
    await asyncio.sleep(SETTLE_SECONDS)
    held = [client for client in connected if client.state.name == "OPEN"]
    result = Result(framework, clients, len(held), expected=len(held) * articles)
    async with httpx.AsyncClient(base_url=server.base_url, timeout=30) as http:
        headers = {"Authorization": f"Bearer {await author_token(http)}"}
        sent: dict[str, float] = {}
        for number in range(articles):
            started = time.monotonic()
            body = {"title": f"Live {number} {started}", "content": "Text.", "published": True}
            response = await http.post("/api/articles", json=body, headers=headers)
            response.raise_for_status()
            sent[response.json()["slug"]] = started
            await asyncio.sleep(0.2)
    await asyncio.sleep(2)
    for slug, started in sent.items():
        times = arrivals.get(slug, [])
        result.delivered += len(times)
        result.latencies += [arrived - started for arrived in times]
    for task in listeners:
        task.cancel()
    await asyncio.gather(*(client.close() for client in connected), return_exceptions=True)
    return result


def benchmark(framework: str, clients: int, articles: int) -> Result:
    with tempfile.TemporaryDirectory() as scratch, live_starter(framework, Path(scratch)) as server:
        return asyncio.run(measure(server, framework, clients, articles))


def report(results: list[Result]) -> str:
    lines = [
        "| framework | idle clients asked | held | events delivered | p50 | p99 |",
        "|---|---|---|---|---|---|",
    ]
    for result in results:
        lines.append(
            f"| {result.framework} | {result.asked:,} | {result.held:,} "
            f"| {result.delivered:,} of {result.expected:,} "
            f"| {result.percentile(0.5):.0f} ms | {result.percentile(0.99):.0f} ms |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--framework", choices=FRAMEWORKS, action="append")
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--articles", type=int, default=20)
    parser.add_argument("--write-readme", action="store_true")
    args = parser.parse_args()
    raise_open_file_limit(args.clients)
    frameworks = args.framework or FRAMEWORKS
    results = [benchmark(fw, args.clients, args.articles) for fw in frameworks]
    table = report(results)
    setup = (
        f"Measured {machine()}: one worker process per starter with Redis and PostgreSQL, "
        f"{args.clients:,} idle clients in one client process, {args.articles} articles "
        "published one by one; latency from sending the request to a client reading the event."
    )
    print(setup, table, sep="\n\n")
    if args.write_readme:
        write_readme(table, setup, (README_START, README_END))


if __name__ == "__main__":
    main()
