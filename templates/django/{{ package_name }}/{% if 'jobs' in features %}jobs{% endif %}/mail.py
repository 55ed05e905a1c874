"""Account mail through the queue: rendered by the web process, sent by the worker."""

from __future__ import annotations

import logging
import uuid

from django.conf import settings
from django.template.loader import render_to_string
from kombu.exceptions import OperationalError

from ..mail.outbox import Mail, in_background
from .tasks import send_email

logger = logging.getLogger(__name__)


def enqueue_mail(mail: Mail) -> None:
    """Queue send_email with a key made now; in process (no REDIS_URL) it runs off the request."""
    job = {
        "key": uuid.uuid4().hex,
        "to": mail.to,
        "subject": mail.subject,
        "text": render_to_string(f"{mail.template}.txt", mail.context),
        "html": render_to_string(f"{mail.template}.html", mail.context),
    }
    if settings.CELERY_TASK_ALWAYS_EAGER:
        in_background(lambda: send_email.apply(kwargs=job))
        return
    try:
        send_email.apply_async(kwargs=job)
    except OperationalError as error:
        logger.error("job send_email %s to %s not queued: %s", job["key"], mail.to, error)
