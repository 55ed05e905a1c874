"""Background jobs on Celery: account mail (send_email) and the periodic refresh_article_stats.

The Celery app is built from the Flask app's settings in create_app, and every task runs
inside that Flask app's context. The queue is Redis at REDIS_URL; without it the jobs run
in this process (task_always_eager). `make worker` runs
`celery -A <package>.jobs worker --beat`: Celery asks this module for `app`, which builds
the Flask app (and with it the Celery app) only then.
"""

from __future__ import annotations

import logging
import os
import uuid
from typing import Any

from celery import Celery, Task
from flask import Flask
from flask_mailman import EmailMultiAlternatives

from ..settings import Settings, SettingsError
from .claims import Claims, LocalClaims, RedisClaims
from .settings import JobSettings

__all__ = ["init_app"]

logger = logging.getLogger(__name__)

IN_PROCESS = "jobs run in this process: set REDIS_URL to queue them for `make worker`"
PACKAGE_NAME = __name__.partition(".")[0]


def init_app(app: Flask) -> None:
    from . import mail, stats  # noqa: F401  (their tasks join every Celery app)

    try:
        job_settings = JobSettings.from_environ(os.environ)
    except SettingsError as error:
        raise SystemExit(error.line()) from None
    settings: Settings = app.extensions["settings"]
    app.extensions["job_settings"] = job_settings
    app.extensions["job_claims"] = _claims(settings.redis_url)
    app.extensions["celery"] = celery_app(app, settings.redis_url, job_settings)
    app.extensions["mail_queue"] = lambda message: enqueue_mail(app, message)
    _register_admin(app)
    if settings.redis_url is None and settings.environment != "test":
        logger.warning(IN_PROCESS)


def celery_app(app: Flask, redis_url: str | None, job_settings: JobSettings) -> Celery:
    class FlaskTask(Task):  # type: ignore[misc]
        def __call__(self, *args: Any, **kwargs: Any) -> Any:
            with app.app_context():
                return self.run(*args, **kwargs)

    celery = Celery(app.import_name, task_cls=FlaskTask)
    celery.conf.update(
        broker_url=redis_url or "memory://",
        task_always_eager=redis_url is None,
        task_ignore_result=True,
        broker_connection_retry_on_startup=True,
        # Mail waits on the network: threads, and no fork of the app's database pool.
        worker_pool="threads",
        worker_hijack_root_logger=False,
        # Modules the worker alone imports: its metrics hooks, where the project has them.
        imports=_worker_modules(),
        beat_schedule={
            "refresh_article_stats": {
                "task": "refresh_article_stats",
                "schedule": job_settings.article_stats_interval_seconds,
            }
        },
    )
    celery.set_default()
    return celery


def enqueue_mail(app: Flask, message: EmailMultiAlternatives) -> None:
    """Queue one mail (the caller has committed); its key makes a second run send nothing."""
    from ..mail import MailSender
    from .mail import mail_job, send_email

    job = mail_job(message, key=uuid.uuid4().hex)
    celery: Celery = app.extensions["celery"]
    if not celery.conf.task_always_eager:
        send_email.apply_async(kwargs=job)
        return
    # In this process: still off the request path, so a slow mail server delays no answer.
    sender: MailSender = app.extensions["mail_sender"]
    sender.run(lambda: send_email.apply(kwargs=job))


def _claims(redis_url: str | None) -> Claims:
    if redis_url is None:
        return LocalClaims()
    return RedisClaims(redis_url, prefix=f"{PACKAGE_NAME}:jobs:")


def _worker_modules() -> list[str]:
    import importlib.util

    return [name for name in (f"{__name__}.metrics",) if importlib.util.find_spec(name)]


def _register_admin(app: Flask) -> None:
    import importlib.util

    if importlib.util.find_spec(f"{__name__}.admin") is not None:
        from importlib import import_module

        import_module(f"{__name__}.admin").init_app(app)


def __getattr__(name: str) -> Celery:
    """`celery -A <package>.jobs` asks for `app`: the worker's Flask app, built now."""
    if name not in {"app", "celery"}:
        raise AttributeError(name)
    from .. import create_app

    celery: Celery = create_app().extensions["celery"]
    return celery
