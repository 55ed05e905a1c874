"""Background jobs on arq: account mail (send_email) and the periodic refresh_article_stats.

The queue is Redis at REDIS_URL. With it, the web process queues each account mail for the
worker (`make worker`: `arq <package>.jobs.WorkerSettings`); without it, the mail is sent by
a background task of the web process, which says so once at start. Nothing of arq is loaded
by the web process until REDIS_URL is set.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI

from ..resources import Resources

__all__ = ["IN_PROCESS", "install"]

logger = logging.getLogger(__name__)

IN_PROCESS = "jobs run in this process: set REDIS_URL to queue them for `make worker`"


def install(app: FastAPI, resources: Resources) -> None:
    redis_url = resources.settings.redis_url
    if redis_url is None:
        logger.warning(IN_PROCESS)
    else:
        from .queue import JobQueue

        queue = JobQueue(redis_url)
        resources.mailer.queue = queue.send_email

        @asynccontextmanager
        async def close_queue() -> AsyncIterator[None]:
            yield
            await resources.mailer.wait()
            await queue.close()

        app.state.lifespan_parts.append(close_queue)
    # The admin view exists only when the project has the admin.
    if importlib.util.find_spec(f"{__name__}.admin") is not None:
        importlib.import_module(f"{__name__}.admin").install(app, resources)


def __getattr__(name: str) -> Any:
    """`arq <package>.jobs.WorkerSettings` asks for the worker's settings: built only then."""
    if name != "WorkerSettings":
        raise AttributeError(name)
    from ..settings import load_settings
    from .worker import worker_settings

    return worker_settings(load_settings())
