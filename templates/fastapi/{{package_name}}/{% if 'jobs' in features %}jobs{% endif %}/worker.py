"""The arq worker: its functions, the cron schedule, and the resources it opens and closes.

arq's cron runs in every worker; `unique=True` gives each run a job id of its own (the job's
name and its time), so however many workers there are, each periodic run happens once.
"""

from __future__ import annotations

import logging
from importlib import import_module
from importlib.util import find_spec
from types import ModuleType
from typing import Any, ClassVar

from arq import cron, func
from arq.connections import RedisSettings
from arq.typing import WorkerCoroutine

from ..db import create_engine, create_sessionmaker
from ..settings import ConfigurationError, Settings
from .mail import send_email
from .queue import QUEUE_NAME
from .stats import refresh_article_stats

# `arq --check` (the deployment's health check) passes while the worker refreshed its
# health record within this many seconds.
HEALTH_CHECK_SECONDS = 10
# A SIGTERM lets running jobs finish for at most this long (mail deliveries time out sooner).
GRACEFUL_SHUTDOWN_SECONDS = 5


def cron_schedule(interval_seconds: int) -> dict[str, set[int] | int]:
    """arq's cron fields that fire every interval_seconds (as close as a clock allows).

    arq matches sets of seconds, minutes and hours; an interval that does not divide its
    unit evenly restarts at each full minute, hour or day.
    """
    if interval_seconds < 60:
        return {"second": set(range(0, 60, interval_seconds))}
    if interval_seconds < 3600:
        return {"minute": set(range(0, 60, interval_seconds // 60)), "second": 0}
    return {"hour": set(range(0, 24, interval_seconds // 3600)), "minute": 0, "second": 0}


def worker_settings(settings: Settings) -> type:
    """The WorkerSettings class arq reads, built from the service's settings."""
    if settings.redis_url is None:
        raise ConfigurationError("REDIS_URL: the job worker needs Redis; set REDIS_URL")
    redis_url = settings.redis_url
    schedule = cron_schedule(settings.article_stats_interval_seconds)
    send = observed(settings, "send_email", send_email)
    refresh = observed(settings, "refresh_article_stats", refresh_article_stats)

    class WorkerSettings:
        functions = (
            func(send, name="send_email", max_tries=settings.job_max_retries + 1),
            # Also on demand: enqueue_job("refresh_article_stats") refreshes at once.
            func(refresh, name="refresh_article_stats"),
        )
        cron_jobs = (
            cron(refresh, name="refresh_article_stats", unique=True, **schedule),  # type: ignore[arg-type]
        )
        redis_settings = RedisSettings.from_dsn(redis_url)
        queue_name = QUEUE_NAME
        health_check_interval = HEALTH_CHECK_SECONDS
        job_completion_wait = GRACEFUL_SHUTDOWN_SECONDS
        ctx: ClassVar[dict[str, Any]] = {"settings": settings}
        on_startup = startup
        on_shutdown = shutdown

    return WorkerSettings


def metrics_hooks() -> ModuleType | None:
    """jobs.metrics, the worker's own metrics, where the project has them."""
    name = f"{__package__}.metrics"
    return import_module(name) if find_spec(name) is not None else None


def observed(settings: Settings, name: str, job: WorkerCoroutine) -> WorkerCoroutine:
    """The job, counted and timed when the worker serves its metrics."""
    metrics = metrics_hooks()
    if metrics is None:
        return job
    counted: WorkerCoroutine = metrics.observed(settings, name, job)
    return counted


async def startup(ctx: dict[str, Any]) -> None:
    settings: Settings = ctx["settings"]
    logging.getLogger(__package__.partition(".")[0]).setLevel(settings.log_level.upper())
    engine = create_engine(settings)
    ctx["engine"] = engine
    ctx["sessionmaker"] = create_sessionmaker(engine)
    if (metrics := metrics_hooks()) is not None:
        ctx["metrics_server"] = metrics.serve(settings)


async def shutdown(ctx: dict[str, Any]) -> None:
    engine = ctx.get("engine")
    if engine is not None:
        await engine.dispose()
    metrics_server = ctx.pop("metrics_server", None)
    if metrics_server is not None:
        metrics_server.shutdown()
        metrics_server.server_close()
