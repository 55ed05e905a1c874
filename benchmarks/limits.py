"""How close each starter comes to its framework's limit, on PostgreSQL.

    .venv/bin/python -m benchmarks.limits [--framework django] [--seconds 5] [--rounds 3]
    .venv/bin/python -m benchmarks.limits --write-readme

For each framework, the rendered starter (production settings, its own
server configuration) and a minimal app of the same framework
(benchmarks/minimal/: the fewest lines that give the same two answers from
the same tables) each run as ONE worker process pinned to one core, wrk on
the other core. They take turns, several rounds, on one PostgreSQL database
seeded with 200 articles by 10 authors. Printed: requests per second of
both, their ratio (the starter's share of what the framework can do), the
cross-framework ratios beside the guides' claims, and the worker's resident
memory after warm-up and after load beside the guides' ranges. Needs `wrk`
and `taskset` (Debian: wrk, util-linux).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import platform
import re
import shutil
import statistics
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx

from tests.starters import commands
from tests.support import (
    FRAMEWORKS,
    REPO_ROOT,
    LiveServer,
    ensure_venv,
    free_port,
    live_server,
    postgres_database,
    production_env,
    render,
    run,
    starter_env,
)

ENDPOINTS = {"health": "/api/health", "articles": "/api/articles?page_size=20"}
AUTHORS, ARTICLES_EACH = 10, 20
THREADS = 4
SERVER_CORE, CLIENT_CORE = 1, 0
MINIMAL = REPO_ROOT / "benchmarks" / "minimal"
# Pillai Infotech, "Python Web Frameworks: Django, Flask, and FastAPI" (2025), its benchmark table.
GUIDE_RPS = {
    "health": {"django": 3000, "flask": 4500, "fastapi": 9000},
    "articles": {"django": 1500, "flask": 1800, "fastapi": 3500},
}
GUIDE_MEMORY_MB = {"django": (50, 80), "flask": (30, 50), "fastapi": (40, 60)}
TABLES = {
    "django": ("articles_article", "users_user"),
    "flask": ("articles", "users"),
    "fastapi": ("articles", "users"),
}
MINIMAL_EXTRA = {"django": (), "flask": ("psycopg-pool>=3.2",), "fastapi": ()}
README_START, README_END = "<!-- limits:start -->", "<!-- limits:end -->"


def minimal_server(framework: str, port: int) -> list[str]:
    """gunicorn with the worker class the starter uses, on the minimal app."""
    bind = ["--config", "/dev/null", "--bind", f"127.0.0.1:{port}", "--workers", "1"]
    path = ["--pythonpath", str(MINIMAL)]
    if framework == "fastapi":
        return ["gunicorn", *bind, *path, "-k", "uvicorn_worker.UvicornWorker", "fastapi_app:app"]
    target = "django_app:application" if framework == "django" else "flask_app:app"
    return ["gunicorn", *bind, *path, "-k", "gthread", "--threads", str(THREADS), target]


@dataclass
class Measured:
    rps: dict[str, list[float]] = field(default_factory=lambda: {name: [] for name in ENDPOINTS})
    rss_warm: list[float] = field(default_factory=list)
    rss_loaded: list[float] = field(default_factory=list)

    def median(self, endpoint: str) -> float:
        return statistics.median(self.rps[endpoint])


@dataclass
class Result:
    framework: str
    starter: Measured
    minimal: Measured

    def ratio(self, endpoint: str) -> float:
        return self.starter.median(endpoint) / self.minimal.median(endpoint)


def pinned(argv: list[str], core: int) -> list[str]:
    return ["taskset", "-c", str(core), *argv]


def wrk(url: str, seconds: int, connections: int = 16) -> float:
    argv = pinned(["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", url], CLIENT_CORE)
    output = subprocess.run(argv, capture_output=True, text=True, check=True).stdout
    found = re.search(r"Requests/sec:\s+([\d.]+)", output)
    if found is None or "Non-2xx" in output or "Socket errors" in output:
        raise RuntimeError(f"wrk saw errors or no rate for {url}:\n{output}")
    return float(found.group(1))


def worker_rss_mb(server: LiveServer) -> float:
    """Resident memory of the (single) worker process: the master's child."""
    children = Path(f"/proc/{server.process.pid}/task/{server.process.pid}/children")
    pids = children.read_text().split()
    if len(pids) != 1:
        raise RuntimeError(f"expected one worker, found {pids}")
    status = Path(f"/proc/{pids[0]}/status").read_text()
    found = re.search(r"VmRSS:\s+(\d+) kB", status)
    if found is None:
        raise RuntimeError("no VmRSS")
    return int(found.group(1)) / 1024


def seed(base_url: str) -> None:
    """10 authors with 20 published articles each, through the starter's own API."""
    with httpx.Client(base_url=base_url, timeout=30) as client:
        for number in range(AUTHORS):
            user = {
                "username": f"author{number}",
                "email": f"author{number}@example.com",
                "password": "bench-password-1",
            }
            client.post("/api/auth/register", json=user).raise_for_status()
            form = {"username": user["username"], "password": user["password"]}
            token = client.post("/api/auth/token", data=form).json()["access_token"]
            headers = {"Authorization": f"Bearer {token}"}
            for index in range(ARTICLES_EACH):
                body = {
                    "title": f"Article {number}-{index}",
                    "content": "x" * 500,
                    "published": True,
                }
                client.post("/api/articles", json=body, headers=headers).raise_for_status()


def normalized(page: dict[str, Any]) -> dict[str, Any]:
    """A page with what may differ between two servers of the same data made equal:
    the host and parameter order of the links, the precision and spelling of timestamps."""

    def link(url: str | None) -> object:
        return None if url is None else sorted(parse_qsl(urlsplit(url).query))

    def moment(value: str) -> str:
        parsed = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
        return parsed.astimezone(datetime.UTC).isoformat(timespec="milliseconds")

    results = [
        {**item, "created_at": moment(item["created_at"]), "updated_at": moment(item["updated_at"])}
        for item in page["results"]
    ]
    return {
        **page,
        "next": link(page["next"]),
        "previous": link(page["previous"]),
        "results": results,
    }


@dataclass(frozen=True)
class Bench:
    framework: str
    project: Path
    starter_env: dict[str, str]
    minimal_env: dict[str, str]

    @contextlib.contextmanager
    def server(self, kind: str) -> Iterator[LiveServer]:
        port = free_port()
        if kind == "starter":
            argv, env = commands(self.framework).serve(port, 1), self.starter_env
        else:
            argv, env = minimal_server(self.framework, port), self.minimal_env
        log = self.project / f"{kind}-{port}.log"
        with live_server(
            pinned(argv, SERVER_CORE), port=port, cwd=self.project, env=env, log=log
        ) as server:
            yield server

    def measure(self, kind: str, seconds: int, into: Measured) -> None:
        with self.server(kind) as server:
            for endpoint in ENDPOINTS.values():
                wrk(server.base_url + endpoint, 1)
            into.rss_warm.append(worker_rss_mb(server))
            for name, endpoint in ENDPOINTS.items():
                into.rps[name].append(wrk(server.base_url + endpoint, seconds))
            into.rss_loaded.append(worker_rss_mb(server))

    def check_same_answers(self) -> None:
        pages = {}
        for kind in ("starter", "minimal"):
            with self.server(kind) as server:
                health = httpx.get(server.base_url + ENDPOINTS["health"], timeout=10)
                assert health.json() == {"status": "ok"}, (kind, health.text)
                pages[kind] = httpx.get(server.base_url + ENDPOINTS["articles"], timeout=10).json()
        starter, minimal = normalized(pages["starter"]), normalized(pages["minimal"])
        if starter != minimal:
            raise RuntimeError(
                f"{self.framework}: the minimal app's page differs from the starter's:\n"
                f"{json.dumps(starter)[:800]}\n{json.dumps(minimal)[:800]}"
            )


@contextlib.contextmanager
def prepared(framework: str, scratch: Path) -> Iterator[Bench]:
    project = render(framework, scratch / framework, features=["accounts", "api_docs"])
    python = ensure_venv(project, MINIMAL_EXTRA[framework])
    with postgres_database(f"limits_{framework}") as url:
        settings = production_env(database_url=url)
        settings.update(GUNICORN_THREADS=str(THREADS), WEB_CONCURRENCY="1")
        env = starter_env(project, python, **settings)
        run(commands(framework).migrate, cwd=project, env=env)
        articles, users = TABLES[framework]
        minimal_env = {**env, "ARTICLES_TABLE": articles, "USERS_TABLE": users}
        bench = Bench(framework, project, env, minimal_env)
        with bench.server("starter") as server:
            seed(server.base_url)
        bench.check_same_answers()
        yield bench


def benchmark(framework: str, seconds: int, rounds: int) -> Result:
    with tempfile.TemporaryDirectory() as scratch, prepared(framework, Path(scratch)) as bench:
        result = Result(framework, Measured(), Measured())
        for _ in range(rounds):
            bench.measure("starter", seconds, result.starter)
            bench.measure("minimal", seconds, result.minimal)
        return result


def report(results: list[Result]) -> str:
    lines = [
        "| framework | endpoint | starter req/s | minimal req/s | starter / minimal |",
        "|---|---|---|---|---|",
    ]
    for result in results:
        for name, endpoint in ENDPOINTS.items():
            lines.append(
                f"| {result.framework} | `{endpoint}` | {result.starter.median(name):,.0f} "
                f"| {result.minimal.median(name):,.0f} | {result.ratio(name):.2f}x |"
            )
    by_name = {result.framework: result for result in results}
    if "django" in by_name:
        lines += ["", "| versus Django | endpoint | starters | minimal apps | the guide says |"]
        lines.append("|---|---|---|---|---|")
        django = by_name["django"]
        for other in ("flask", "fastapi"):
            if other not in by_name:
                continue
            for name, endpoint in ENDPOINTS.items():
                starters = by_name[other].starter.median(name) / django.starter.median(name)
                minimals = by_name[other].minimal.median(name) / django.minimal.median(name)
                guide = GUIDE_RPS[name][other] / GUIDE_RPS[name]["django"]
                lines.append(
                    f"| {other} | `{endpoint}` | {starters:.2f}x | {minimals:.2f}x | {guide:.2f}x |"
                )
    lines += ["", "| framework | worker RSS after warm-up | after load | the guide says |"]
    lines.append("|---|---|---|---|")
    for result in results:
        low, high = GUIDE_MEMORY_MB[result.framework]
        lines.append(
            f"| {result.framework} | {statistics.median(result.starter.rss_warm):.0f} MB "
            f"(minimal {statistics.median(result.minimal.rss_warm):.0f} MB) "
            f"| {statistics.median(result.starter.rss_loaded):.0f} MB "
            f"(minimal {statistics.median(result.minimal.rss_loaded):.0f} MB) | {low}-{high} MB |"
        )
    return "\n".join(lines)


def machine() -> str:
    cpu = "unknown processor"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    today = datetime.date.today().isoformat()
    return f"{today}, {cpu}, Python {platform.python_version()}, {platform.system()}"


def write_readme(
    table: str, setup: str, markers: tuple[str, str] = (README_START, README_END)
) -> None:
    """Put `setup` and `table` between the README's two marker comments."""
    first, last = markers
    readme = REPO_ROOT / "README.md"
    text = readme.read_text()
    start, end = text.index(first), text.index(last)
    block = f"{first}\n{setup}\n\n{table}\n{last}"
    readme.write_text(text[:start] + block + text[end + len(last) :])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--framework", choices=FRAMEWORKS, action="append")
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--write-readme", action="store_true")
    args = parser.parse_args()
    for needed in ("wrk", "taskset"):
        if shutil.which(needed) is None:
            parser.exit(2, f"benchmarks.limits: needs {needed} (apt-get install wrk util-linux)\n")
    results = [benchmark(fw, args.seconds, args.rounds) for fw in args.framework or FRAMEWORKS]
    table = report(results)
    setup = (
        f"Measured {machine()}: one worker pinned to one core, wrk (16 connections) on the other, "
        f"PostgreSQL on the same machine, {args.rounds} rounds of {args.seconds} s, medians."
    )
    print(setup, table, sep="\n\n")
    if args.write_readme:
        write_readme(table, setup)


if __name__ == "__main__":
    main()
