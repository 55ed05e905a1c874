"""How to drive the rendered Flask starter (see tests/starters/__init__.py)."""

from __future__ import annotations

from tests.starters import gunicorn
from tests.support import BASE_ANSWERS

PACKAGE = str(BASE_ANSWERS["package_name"])

MIGRATE: list[str] = ["flask", "--app", PACKAGE, "db", "upgrade"]
OWN_TESTS: list[str] = ["python", "-m", "pytest", "-p", "no:cacheprovider"]
TRAIN: list[str] = ["flask", "--app", PACKAGE, "train"]
WORKER: list[str] = ["celery", "-A", f"{PACKAGE}.jobs", "worker", "--beat", "--loglevel", "INFO"]


def serve(port: int, workers: int) -> list[str]:
    """gunicorn with the starter's tuned gunicorn.conf.py (gthread workers, preload)."""
    return gunicorn("wsgi:app", port, workers)


def serve_baseline(port: int, workers: int) -> list[str]:
    """gunicorn's defaults (sync workers), straight on the application factory."""
    return gunicorn(f"{PACKAGE}:create_app()", port, workers, config="/dev/null")
