from __future__ import annotations

import logging

from django.conf import settings

logger = logging.getLogger(__name__)

IN_PROCESS = "jobs run in this process: set REDIS_URL to queue them for `make worker`"


def log_where_jobs_run() -> None:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        logger.warning(IN_PROCESS)
