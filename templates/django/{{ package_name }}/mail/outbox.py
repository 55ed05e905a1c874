"""A small thread pool sends the mail, so a request never waits for the SMTP server.

The mail leaves only once the transaction that asked for it commits (a rolled-back
token is never mailed). A failure is logged in one line and never reaches the
request: whether an address is registered must not show in the answer or its timing.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

# Mail is rare; each send waits at most EMAIL_TIMEOUT for the server, so a slow
# recipient server holds up one thread, not the others.
_pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="mail")
_pending: set[Future[None]] = set()
_pending_lock = threading.Lock()


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    # Template names without extension: <template>.txt and <template>.html.
    template: str
    context: dict[str, object] = field(default_factory=dict)


def send_after_commit(mail: Mail) -> None:
    """Send the mail from the pool once the current transaction commits."""
    transaction.on_commit(lambda: _submit(mail))


def wait_until_sent(timeout: float = 10.0) -> None:
    """Block until every mail handed to the pool so far is sent or has failed."""
    with _pending_lock:
        futures = list(_pending)
    wait(futures, timeout=timeout)


def _submit(mail: Mail) -> None:
    future = _pool.submit(_deliver, mail)
    with _pending_lock:
        _pending.add(future)
    future.add_done_callback(_forget)


def _forget(future: Future[None]) -> None:
    with _pending_lock:
        _pending.discard(future)


def _deliver(mail: Mail) -> None:
    try:
        _message(mail).send()
    except Exception as error:  # any failure: logged, never raised
        logger.warning("mail %r to %s not sent: %s", mail.subject, mail.to, error)


def _message(mail: Mail) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=mail.subject,
        body=render_to_string(f"{mail.template}.txt", mail.context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[mail.to],
    )
    message.attach_alternative(render_to_string(f"{mail.template}.html", mail.context), "text/html")
    return message
