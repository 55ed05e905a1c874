"""The send_email job: one account mail, sent once, retried with exponential backoff.

Each mail carries a key made when it is enqueued. Before sending, the job claims the
key in Redis (SET NX); a claim of a mail already sent stops a second run from sending
it again. A failed delivery releases the claim so that the retry can send.
"""

from __future__ import annotations

import logging
import smtplib
from typing import Any

from celery import Task, shared_task
from flask import current_app
from flask_mailman import EmailMultiAlternatives

from .claims import Claims

logger = logging.getLogger(__name__)

SENT_SECONDS = 24 * 3600
# Claimed while a run sends; long enough for one delivery, short enough to recover a crash.
SENDING_SECONDS = 300
DELIVERY_ERRORS = (smtplib.SMTPException, OSError, TimeoutError)


def mail_job(message: EmailMultiAlternatives, key: str) -> dict[str, Any]:
    """What the queue carries: plain data, not the message object."""
    html = next((content for content, kind in message.alternatives if kind == "text/html"), "")
    return {
        "key": key,
        "to": list(message.to),
        "subject": message.subject,
        "text": message.body,
        "html": html,
        "from_email": message.from_email,
    }


def backoff_seconds(attempt: int, base: float) -> float:
    """Seconds before retry number attempt + 1: base x 2^attempt."""
    return float(base * 2**attempt)


@shared_task(bind=True, name="send_email", max_retries=None)
def send_email(self: Task, **job: Any) -> bool:
    """Send one mail unless its key was sent already; True when this run sent it."""
    key = job["key"]
    claims: Claims = current_app.extensions["job_claims"]
    if not claims.claim(f"mail:{key}", SENDING_SECONDS):
        logger.info("send_email %s: sent already (or being sent), nothing to do", key)
        return False
    try:
        _deliver(job)
    except DELIVERY_ERRORS as error:
        claims.release(f"mail:{key}")
        _retry_or_fail(self, key, error)
        return False
    claims.keep(f"mail:{key}", SENT_SECONDS)
    return True


def _deliver(job: dict[str, Any]) -> None:
    message = EmailMultiAlternatives(
        subject=job["subject"], body=job["text"], from_email=job["from_email"], to=job["to"]
    )
    if job["html"]:
        message.attach_alternative(job["html"], "text/html")
    message.send()


def _retry_or_fail(task: Task, key: str, error: Exception) -> None:
    settings = current_app.extensions["job_settings"]
    attempt = task.request.retries
    if attempt >= settings.max_retries:
        logger.error("send_email %s failed after %d retries: %r", key, attempt, error)
        raise error  # the job ends failed
    countdown = backoff_seconds(attempt, settings.retry_base_seconds)
    logger.warning("send_email %s: retry %d in %.1f s after %r", key, attempt + 1, countdown, error)
    raise task.retry(countdown=countdown, exc=error)
