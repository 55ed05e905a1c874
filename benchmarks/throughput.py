"""Requests per second of each starter's tuned production server against the
framework's plain default server, on the same render, database and machine.

    .venv/bin/python -m benchmarks.throughput [--framework fastapi] [--seconds 5]

Needs `wrk` (Debian package wrk). Both servers run one after the other in
this process's control, several rounds interleaved, so the ratio is robust
to the machine's background load; absolute numbers are printed for context only.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests.starters import commands
from tests.support import (
    FRAMEWORKS,
    ensure_venv,
    free_port,
    live_server,
    production_env,
    render,
    run,
    starter_env,
)

ENDPOINTS = ("/api/health", "/api/articles?page_size=20")
SEED_ARTICLES = 40
WORKERS = 2


@dataclass(frozen=True)
class Sample:
    endpoint: str
    tuned: float
    baseline: float

    @property
    def ratio(self) -> float:
        return self.tuned / self.baseline


def requests_per_second(url: str, seconds: int, connections: int) -> float:
    output = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    found = re.search(r"Requests/sec:\s+([\d.]+)", output)
    if found is None:
        raise RuntimeError(f"wrk printed no rate:\n{output}")
    return float(found.group(1))


def seed(base_url: str) -> None:
    user = {"username": "bench", "email": "bench@example.com", "password": "bench-password-1"}
    with httpx.Client(base_url=base_url, timeout=10) as client:
        client.post("/api/auth/register", json=user)
        token = client.post(
            "/api/auth/token", data={"username": "bench", "password": user["password"]}
        ).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        for number in range(SEED_ARTICLES):
            article = {"title": f"Article {number}", "content": "x" * 500, "published": True}
            client.post("/api/articles", json=article, headers=headers).raise_for_status()


def measure(
    serve: Callable[[int, int], list[str]], project: Path, env: dict[str, str], seconds: int
) -> dict[str, float]:
    port = free_port()
    with live_server(
        serve(port, WORKERS), port=port, cwd=project, env=env, log=project / f"server-{port}.log"
    ) as server:
        requests_per_second(server.base_url + ENDPOINTS[0], 1, 16)  # warm up every worker
        return {
            endpoint: requests_per_second(server.base_url + endpoint, seconds, 32)
            for endpoint in ENDPOINTS
        }


def benchmark(framework: str, seconds: int, rounds: int) -> list[Sample]:
    with tempfile.TemporaryDirectory() as scratch:
        project = render(framework, Path(scratch) / framework, features=["accounts", "api_docs"])
        python = ensure_venv(project)
        database = f"sqlite:///{project / 'bench.sqlite3'}"
        env = starter_env(project, python, **production_env(database_url=database))
        starter = commands(framework)
        run(starter.migrate, cwd=project, env=env)
        port = free_port()
        with live_server(
            starter.serve(port, WORKERS),
            port=port,
            cwd=project,
            env=env,
            log=project / "seed.log",
        ) as server:
            seed(server.base_url)
        tuned: dict[str, list[float]] = {endpoint: [] for endpoint in ENDPOINTS}
        baseline: dict[str, list[float]] = {endpoint: [] for endpoint in ENDPOINTS}
        for _ in range(rounds):
            for endpoint, rate in measure(starter.serve, project, env, seconds).items():
                tuned[endpoint].append(rate)
            for endpoint, rate in measure(starter.serve_baseline, project, env, seconds).items():
                baseline[endpoint].append(rate)
        return [
            Sample(e, statistics.median(tuned[e]), statistics.median(baseline[e]))
            for e in ENDPOINTS
        ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--framework", choices=FRAMEWORKS, action="append")
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        parser.exit(2, "benchmarks.throughput: needs wrk (apt-get install wrk)\n")
    for framework in args.framework or FRAMEWORKS:
        for sample in benchmark(framework, args.seconds, args.rounds):
            print(
                f"{framework:8} {sample.endpoint:28} tuned {sample.tuned:8.0f} req/s  "
                f"baseline {sample.baseline:8.0f} req/s  ratio {sample.ratio:.2f}x"
            )


if __name__ == "__main__":
    main()
