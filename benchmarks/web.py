"""Time to first byte of `stackpick web`'s Explore tree and zip, against `stackpick new`.

    .venv/bin/python -m benchmarks.web [--rounds 5]

Each round asks with a project name not seen before, so the page renders afresh
(its cache of recent renders would otherwise answer at once), and runs
`stackpick new --no-lock` with the same answers, as the page does, in the same
run. The cached answer is timed too: that is what a second click costs.
"""

from __future__ import annotations

import argparse
import http.client
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from tests.support import REPO_ROOT

GOAL_SECONDS = 1.5


@contextmanager
def web_server(env: Mapping[str, str] | None = None) -> Iterator[str]:
    """`stackpick web --port 0` as a user starts it; yields the address it prints, without "/"."""
    server = subprocess.Popen(
        [sys.executable, "-m", "generator", "web", "--port", "0"],
        cwd=REPO_ROOT,
        env=None if env is None else dict(env),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert server.stdout is not None
        line = server.stdout.readline()
        if not line.startswith("stackpick web: http://127.0.0.1:"):
            raise RuntimeError(f"stackpick web did not start: {line!r}")
        yield line.split()[2].rstrip("/")
    finally:
        server.terminate()
        server.wait(timeout=15)


def first_byte(address: str, path: str) -> float:
    """Seconds until the status line and headers arrive; the body is then read and dropped."""
    connection = http.client.HTTPConnection(address, timeout=60)
    started = time.perf_counter()
    connection.request("GET", path)
    response = connection.getresponse()
    elapsed = time.perf_counter() - started
    body = response.read()
    connection.close()
    if response.status != 200:
        raise SystemExit(f"GET {path} answered {response.status}: {body[:200]!r}")
    return elapsed


def stackpick_new(answers: dict[str, str]) -> float:
    with tempfile.TemporaryDirectory() as scratch:
        command = [sys.executable, "-m", "generator", "new", str(Path(scratch) / "out")]
        command += ["--defaults", "--no-lock"]
        for name, value in answers.items():
            command += ["-d", f"{name}={value}"]
        started = time.perf_counter()
        subprocess.run(command, cwd=REPO_ROOT, check=True, capture_output=True)
        return time.perf_counter() - started


def median_of(rounds: int, sample: Callable[[int], float]) -> float:
    return statistics.median(sample(index) for index in range(rounds))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    rounds = parser.parse_args().rounds

    def answers(kind: str, index: int) -> dict[str, str]:
        return {"project_name": f"Bench {kind} {index} {time.monotonic_ns()}"}

    with web_server() as base_url:
        address = urlsplit(base_url).netloc
        first_byte(address, "/api/tree")  # imports and the first render, outside the timing
        new = median_of(rounds, lambda i: stackpick_new(answers("new", i)))
        tree = median_of(rounds, lambda i: first_byte(address, tree_path(answers("tree", i))))
        archive = median_of(rounds, lambda i: first_byte(address, zip_path(answers("zip", i))))
        cached = median_of(rounds, lambda _: first_byte(address, "/api/tree"))
    print(f"stackpick new --no-lock       {new:.3f} s")
    for label, seconds in (("Explore tree", tree), ("zip", archive), ("Explore, cached", cached)):
        verdict = "within" if seconds < GOAL_SECONDS else "over"
        print(
            f"{label:29} {seconds:.3f} s  ratio {seconds / new:.2f}x  "
            f"({verdict} the {GOAL_SECONDS} s goal)"
        )


def tree_path(answers: dict[str, str]) -> str:
    return f"/api/tree?{urlencode(answers)}"


def zip_path(answers: dict[str, str]) -> str:
    return f"/api/download?{urlencode(answers)}"


if __name__ == "__main__":
    main()
