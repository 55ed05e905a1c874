"""The send_email job: one account mail, sent once, retried with exponential backoff.

Each mail carries a key made when it is queued. Before sending, the job claims the key in
Redis (SET NX): the claim of a mail already sent stops a second run from sending it again.
A failed delivery releases the claim, so that the retry can send.
"""

from __future__ import annotations

import logging
from email.message import EmailMessage
from typing import Any

import aiosmtplib
from arq import Retry

from ..mail import deliver
from ..settings import Settings

logger = logging.getLogger(__name__)

CLAIM_PREFIX = f"{__name__.partition('.')[0]}:jobs:mail:"
SENT_SECONDS = 24 * 3600
# Held while one run sends: long enough for a delivery, short enough to recover from a crash.
SENDING_SECONDS = 300
DELIVERY_ERRORS = (aiosmtplib.SMTPException, OSError, TimeoutError)

MailJob = dict[str, str]


def mail_job(message: EmailMessage, key: str) -> MailJob:
    """What the queue carries: the rendered message's fields and its key, plain strings."""
    return {
        "key": key,
        "to": str(message["To"]),
        "sender": str(message["From"]),
        "subject": str(message["Subject"]),
        "text": _body(message, "plain"),
        "html": _body(message, "html"),
    }


def _body(message: EmailMessage, subtype: str) -> str:
    part = message.get_body((subtype,))
    return "" if part is None else str(part.get_content())


def mail_message(job: MailJob) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = job["subject"]
    message["From"] = job["sender"]
    message["To"] = job["to"]
    message.set_content(job["text"])
    if job["html"]:
        message.add_alternative(job["html"], subtype="html")
    return message


def backoff_seconds(attempt: int, base: float) -> float:
    """Seconds before retry number attempt + 1: base x 2^attempt (attempt 0 is the first run)."""
    return float(base * 2**attempt)


async def send_email(ctx: dict[str, Any], job: MailJob) -> bool:
    """Send one mail unless its key was sent already; True when this run sent it."""
    settings: Settings = ctx["settings"]
    redis = ctx["redis"]
    key, claim = job["key"], CLAIM_PREFIX + job["key"]
    if not await redis.set(claim, b"sending", nx=True, ex=SENDING_SECONDS):
        logger.info("send_email %s: sent already (or being sent), nothing to do", key)
        return False
    try:
        await deliver(
            mail_message(job),
            server=settings.email_server,
            timeout_seconds=settings.email_timeout_seconds,
        )
    except DELIVERY_ERRORS as error:
        await redis.delete(claim)
        attempt = int(ctx["job_try"]) - 1
        if attempt >= settings.job_max_retries:
            logger.error("send_email %s failed after %d retries: %r", key, attempt, error)
            raise  # the job ends failed
        defer = backoff_seconds(attempt, settings.job_retry_base_seconds)
        logger.warning("send_email %s: retry %d in %.1f s after %r", key, attempt + 1, defer, error)
        raise Retry(defer=defer) from error
    await redis.set(claim, b"sent", ex=SENT_SECONDS)
    logger.info("send_email %s: sent to %s", key, job["to"])
    return True
