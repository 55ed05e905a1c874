"""Gunicorn settings for production: `gunicorn config.wsgi` reads this file.

Threads in each worker overlap the time spent waiting on the database; each
thread keeps its own persistent database connection (CONN_MAX_AGE). The worker
class is gunicorn's threaded one, reading request heads without holding a
thread (see config/gunicorn_worker.py).
"""

import multiprocessing
import os
from typing import Protocol

TRUE_WORDS = frozenset({"1", "true", "yes", "on"})

bind = f"{os.environ.get('HOST') or '127.0.0.1'}:{os.environ.get('PORT') or '8000'}"
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "config.gunicorn_worker.Worker"
threads = int(os.environ.get("GUNICORN_THREADS", "8"))
# Load the app once in the master: a configuration error stops the start with
# one message, and workers share the loaded code's memory.
preload_app = True
keepalive = 5
timeout = 30
graceful_timeout = 30
# Recycle workers now and then so that a slow leak never grows without bound.
# Off by default: at a few thousand requests a second a fixed limit would restart
# workers every few seconds. Set MAX_REQUESTS to recycle them against a leak.
max_requests = int(os.environ.get("MAX_REQUESTS", "0"))
max_requests_jitter = int(os.environ.get("MAX_REQUESTS_JITTER", str(max_requests // 10)))
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
accesslog = "-" if os.environ.get("ACCESS_LOG", "").strip().lower() in TRUE_WORDS else None
errorlog = "-"
# Only the proxies in TRUSTED_PROXIES may say the request came over HTTPS
# (X-Forwarded-Proto); empty, the default, believes nobody.
forwarded_allow_ips = os.environ.get("TRUSTED_PROXIES", "").replace(" ", "")


class Logger(Protocol):
    def warning(self, msg: str, *args: object) -> None: ...


class Arbiter(Protocol):
    log: Logger


def when_ready(server: Arbiter) -> None:
    """Say once, in the master, when the database cannot be reached at start.

    Not fatal: the server starts, readiness answers 503 until the database
    answers, and the workers connect when it does.
    """
    from config.database import connection_problem  # the application is loaded (preload)

    if (problem := connection_problem()) is not None:
        server.log.warning(problem)


class ParsedRequest(Protocol):
    """What pre_request uses of gunicorn's request: upper-case header names, values."""

    headers: list[tuple[str, str]]

    def force_close(self) -> None: ...


def pre_request(worker: object, req: ParsedRequest) -> None:
    """Answer `Connection: close` when the request's body will not be read to its end.

    gunicorn keeps a connection only once the previous body has been read, and
    reads at most 64 KiB of what the application left; the application drops
    the unread rest of a body up to REQUEST_BODY_DRAIN_MAX_SIZE (see
    core.middleware.UnreadBodyMiddleware). Past that, or for a chunked body,
    which is read only up to the 1 MiB limit (core.wsgi.ChunkedBodies), the
    connection closes: the answer must say so, or the client would send its
    next request on a closed connection.
    """
    from django.conf import settings  # loaded: requests come after the application

    headers = dict(req.headers)
    declared = int(headers.get("CONTENT-LENGTH") or 0)
    if "TRANSFER-ENCODING" in headers or declared > settings.REQUEST_BODY_DRAIN_MAX_SIZE:
        req.force_close()
