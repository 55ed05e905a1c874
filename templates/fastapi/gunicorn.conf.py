"""Gunicorn settings for production: `gunicorn -c gunicorn.conf.py "PACKAGE.main:create_app()"`.

Every value can be changed from the environment without editing this file.
"""

import importlib
import multiprocessing
import os
from typing import Any


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


# Async workers each serve many connections; about one per core is the sweet spot.
workers = _int("WEB_CONCURRENCY", max(2, multiprocessing.cpu_count()))
# uvloop and httptools are picked up automatically when installed (uvicorn[standard]).
worker_class = "uvicorn_worker.UvicornWorker"
bind = os.environ.get("BIND", f"0.0.0.0:{_int('PORT', 8000)}")
backlog = _int("BACKLOG", 2048)

# Keep idle connections from a load balancer open a little longer than it does.
keepalive = _int("KEEP_ALIVE", 75)
timeout = _int("TIMEOUT", 60)
graceful_timeout = _int("GRACEFUL_TIMEOUT", 30)
# Off by default: an async worker serves thousands of requests a second, so a request limit
# would restart workers every few seconds. Set MAX_REQUESTS to recycle them against a leak.
max_requests = _int("MAX_REQUESTS", 0)
max_requests_jitter = _int("MAX_REQUESTS_JITTER", max_requests // 10)

# Access logs cost throughput; the reverse proxy usually keeps them. ACCESS_LOG=- turns them on.
accesslog = os.environ.get("ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# Trust X-Forwarded-* only from the proxy in front of the service.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
proxy_allow_ips = forwarded_allow_ips


def on_starting(server: Any) -> None:
    """Check the settings once, before any worker starts.

    A bad configuration (say, no SECRET_KEY in production) then stops the server with one
    clear line, instead of every worker failing to boot and being restarted in a loop.
    """
    package = server.app.app_uri.partition(":")[0].rpartition(".")[0]
    importlib.import_module(f"{package}.settings").load_settings()
