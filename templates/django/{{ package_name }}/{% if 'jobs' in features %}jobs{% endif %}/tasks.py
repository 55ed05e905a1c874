"""The jobs: send_email (every account mail) and refresh_article_stats (periodic)."""

from __future__ import annotations

import logging
import math
import smtplib
from typing import Any

from celery import Task, shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives

from . import services

logger = logging.getLogger(__name__)

# What a retry can cure: the SMTP server refusing, failing or not answering in time.
TRANSIENT = (smtplib.SMTPException, OSError, TimeoutError)


@shared_task(bind=True, name="send_email", max_retries=None, acks_late=True)
def send_email(
    self: Task[Any, Any], *, key: str, to: str, subject: str, text: str, html: str
) -> str:
    """Send one rendered mail through EMAIL_URL, once per key, retrying with backoff."""
    if not services.claim(key):
        logger.info("job send_email %s: already sent or being sent, nothing to do", key)
        return "skipped"
    try:
        message(to=to, subject=subject, text=text, html=html).send()
    except TRANSIENT as error:
        services.release(key)
        attempt = self.request.retries
        if attempt >= settings.JOB_MAX_RETRIES:
            logger.error("job send_email %s failed after %d retries: %s", key, attempt, error)
            raise  # the job ends failed
        delay = backoff(attempt)
        logger.warning("job send_email %s: %s; retry %d in %.1f s", key, error, attempt + 1, delay)
        raise self.retry(countdown=delay) from None
    services.mark_sent(key)
    return "sent"


@shared_task(name="refresh_article_stats")
def refresh_article_stats() -> int:
    return services.refresh_article_stats()


def backoff(attempt: int) -> float:
    """JOB_RETRY_BASE_SECONDS x 2^attempt."""
    return math.ldexp(settings.JOB_RETRY_BASE_SECONDS, attempt)


def message(*, to: str, subject: str, text: str, html: str) -> EmailMultiAlternatives:
    mail = EmailMultiAlternatives(
        subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=[to]
    )
    mail.attach_alternative(html, "text/html")
    return mail
