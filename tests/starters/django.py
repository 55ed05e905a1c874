"""How the Django starter is migrated, tested and served (see tests/starters/__init__.py)."""

from __future__ import annotations

from tests.starters import gunicorn

# The starter's release step: migrations, then collectstatic so that WhiteNoise
# serves the API docs' assets and the admin's CSS in production.
MIGRATE = ["python", "manage.py", "release", "--verbosity", "0"]
OWN_TESTS = ["python", "-m", "pytest", "-q", "-p", "no:cacheprovider"]
TRAIN = ["python", "manage.py", "train"]
WORKER = ["celery", "-A", "config", "worker", "--beat", "--loglevel", "INFO"]


def serve(port: int, workers: int) -> list[str]:
    """gunicorn with the starter's gunicorn.conf.py, which names the application and worker.

    gthread workers serving config.wsgi, or with live updates uvicorn workers serving
    config.asgi: the render decides, so the same command serves both.
    """
    bind = ["--bind", f"127.0.0.1:{port}", "--workers", str(workers)]
    return ["gunicorn", "--config", "gunicorn.conf.py", *bind]


def serve_baseline(port: int, workers: int) -> list[str]:
    """Plain gunicorn defaults (sync workers); /dev/null keeps it from reading gunicorn.conf.py."""
    return gunicorn("config.wsgi", port, workers, config="/dev/null")
