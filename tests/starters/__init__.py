"""How this repository drives each rendered starter: one module per framework.

Every module (django.py, flask.py, fastapi.py) defines the same names:

    MIGRATE: list[str]            argv that applies the shipped migrations
    OWN_TESTS: list[str]          argv that runs the starter's own test suite
    def serve(port: int, workers: int) -> list[str]
                                  argv of the tuned production server on 127.0.0.1:port
    def serve_baseline(port: int, workers: int) -> list[str]
                                  argv of the framework's plain default server, for benchmarks
    TRAIN: list[str]              argv of `make train` (app kind ml_serving): fit the model
    WORKER: list[str]             argv of `make worker` (feature jobs): the job worker with
                                  its scheduler of periodic jobs

Commands run from the rendered project's folder with its virtual environment
first on PATH (see support.starter_env), so `python`, `gunicorn`... resolve there.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class StarterCommands:
    migrate: list[str]
    own_tests: list[str]
    serve: Callable[[int, int], list[str]]
    serve_baseline: Callable[[int, int], list[str]]
    train: list[str]
    worker: list[str]


def gunicorn(
    target: str, port: int, workers: int, *, config: str = "gunicorn.conf.py"
) -> list[str]:
    """gunicorn serving `target` on 127.0.0.1:port; config "/dev/null" means its defaults."""
    bind = ["--bind", f"127.0.0.1:{port}", "--workers", str(workers)]
    return ["gunicorn", "--config", config, *bind, target]


def commands(framework: str) -> StarterCommands:
    module = importlib.import_module(f"tests.starters.{framework}")
    return StarterCommands(
        migrate=module.MIGRATE,
        own_tests=module.OWN_TESTS,
        serve=module.serve,
        serve_baseline=module.serve_baseline,
        train=list(getattr(module, "TRAIN", [])),
        worker=list(getattr(module, "WORKER", [])),
    )
