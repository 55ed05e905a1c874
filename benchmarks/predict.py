"""Predictions per second through each starter's live server vs the model called directly.

    .venv/bin/python -m benchmarks.predict [--requests 200]

Each starter rendered with app kind `ml_serving` trains its model (its own `train`
command), then serves it with its production server (2 workers, SQLite). For batch sizes 1
and 100, one client sends `--requests` POST /api/predict calls one after another; the same
batches are then predicted by the loaded model called directly in one process of the
starter's own environment (no HTTP, no validation). The ratio says what serving costs.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests.starters import commands
from tests.support import (
    LiveServer,
    ensure_venv,
    free_port,
    live_server,
    production_env,
    render,
    run,
    starter_env,
)

BATCH_SIZES = (1, 100)
PACKAGE = "blog_service"
ROW = {"sepal_length": 5.8, "sepal_width": 3.0, "petal_length": 4.35, "petal_width": 1.3}
# Run by the starter's python: the loaded model, called directly, timed per batch size.
DIRECT = """
import json, sys, time
from pathlib import Path
import numpy as np
from {package}.ml.store import load
model = load(Path(sys.argv[1]))
features = model.metadata.features
rates = {{}}
for size in json.loads(sys.argv[2]):
    rows = np.array([[{row}[name] for name in features]] * size, dtype=np.float64)
    started = time.perf_counter()
    for _ in range(int(sys.argv[3])):
        model.estimator.predict(rows)
    rates[size] = size * int(sys.argv[3]) / (time.perf_counter() - started)
print(json.dumps(rates))
"""


FRAMEWORKS = ("fastapi", "django", "flask")


@dataclass(frozen=True)
class Rates:
    framework: str
    batch_size: int
    served: float
    direct: float

    @property
    def ratio(self) -> float:
        """The share of the direct rate that serving keeps (1.0: serving costs nothing)."""
        return self.served / self.direct


@contextlib.contextmanager
def model_server(framework: str, workdir: Path) -> Iterator[tuple[LiveServer, Path, Path]]:
    """The ml_serving starter, trained and served; yields the server, its python, MODEL_DIR."""
    project = render(framework, workdir / "project", app_kind="ml_serving")
    python = ensure_venv(project)
    model_dir = project / "models"
    settings = production_env(database_url=f"sqlite:///{project / 'db.sqlite3'}")
    env = starter_env(project, python, **settings, MODEL_DIR=str(model_dir))
    run(commands(framework).train, cwd=project, env=env)
    run(commands(framework).migrate, cwd=project, env=env)
    port = free_port()
    argv = commands(framework).serve(port, 2)
    log = project / "server.log"
    with live_server(argv, port=port, cwd=project, env=env, log=log) as server:
        yield server, python, model_dir


def served_rate(server: LiveServer, batch_size: int, requests: int) -> float:
    body = {"instances": [ROW] * batch_size}
    with httpx.Client(base_url=server.base_url, timeout=30) as client:
        client.post("/api/predict", json=body).raise_for_status()  # warm up
        started = time.perf_counter()
        for _ in range(requests):
            client.post("/api/predict", json=body).raise_for_status()
        elapsed = time.perf_counter() - started
    return batch_size * requests / elapsed


def direct_rates(python: Path, model_dir: Path, requests: int) -> dict[int, float]:
    script = DIRECT.format(package=PACKAGE, row=ROW)
    argv = [str(python), "-c", script, str(model_dir), json.dumps(BATCH_SIZES), str(requests)]
    output = subprocess.run(
        argv, cwd=model_dir.parent, capture_output=True, text=True, check=True, timeout=600
    ).stdout
    return {int(size): rate for size, rate in json.loads(output).items()}


def measure(framework: str, requests: int) -> list[Rates]:
    with tempfile.TemporaryDirectory() as workdir:
        with model_server(framework, Path(workdir)) as (server, python, model_dir):
            served = {size: served_rate(server, size, requests) for size in BATCH_SIZES}
        direct = direct_rates(python, model_dir, requests)
    return [Rates(framework, size, served[size], direct[size]) for size in BATCH_SIZES]


def report(results: list[Rates]) -> str:
    lines = ["framework  batch  served/s  direct/s  served:direct"]
    for rates in results:
        lines.append(
            f"{rates.framework:<9}  {rates.batch_size:>5}  {rates.served:>8.0f}  "
            f"{rates.direct:>8.0f}  {rates.ratio:>12.2f}x"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=200, help="calls per batch size")
    parser.add_argument(
        "--framework", choices=FRAMEWORKS, action="append", help="one starter (repeatable)"
    )
    arguments = parser.parse_args()
    frameworks = arguments.framework or list(FRAMEWORKS)
    print(report([rates for fw in frameworks for rates in measure(fw, arguments.requests)]))


if __name__ == "__main__":
    main()
