"""How this repository drives a rendered FastAPI starter."""

from __future__ import annotations

from tests.starters import gunicorn
from tests.support import BASE_ANSWERS

PACKAGE = str(BASE_ANSWERS["package_name"])

MIGRATE: list[str] = ["alembic", "upgrade", "head"]
OWN_TESTS: list[str] = ["pytest", "-q", "-p", "no:cacheprovider"]
TRAIN: list[str] = ["python", "-m", PACKAGE, "train"]
WORKER: list[str] = ["arq", f"{PACKAGE}.jobs.WorkerSettings"]


def serve(port: int, workers: int) -> list[str]:
    """Gunicorn with uvicorn workers (uvloop + httptools), as the starter's Dockerfile runs it."""
    return gunicorn(f"{PACKAGE}.main:create_app()", port, workers)


def serve_baseline(port: int, workers: int) -> list[str]:
    """Plain uvicorn with its defaults."""
    return [
        "uvicorn",
        "--factory",
        f"{PACKAGE}.main:create_app",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
    ]
