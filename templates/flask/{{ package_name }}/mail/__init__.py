"""Email over SMTP from EMAIL_URL (Flask-Mailman), sent off the request path.

Bodies are rendered from templates/<name>.txt and .html while the request runs;
a small thread pool delivers them, so a slow or absent mail server never delays
an answer (nor tells, by timing, whether an address exists). Failures are logged.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from typing import Any

from flask import Flask, current_app
from flask_mailman import EmailMultiAlternatives, Mail
from jinja2 import Environment, PackageLoader, select_autoescape

from ..settings import Settings

logger = logging.getLogger(__name__)

EXTENSION_KEY = "mail_sender"
MailQueue = Callable[[EmailMultiAlternatives], None]
SENDING_THREADS = 2
_templates = Environment(
    loader=PackageLoader(__name__, "templates"),
    autoescape=select_autoescape(["html"]),
    keep_trailing_newline=True,
)


def init_app(app: Flask, settings: Settings) -> None:
    server = settings.email_server
    app.config.update(
        MAIL_BACKEND="smtp",  # also under TESTING: the suite sends to a real server
        MAIL_SERVER=server.host,
        MAIL_PORT=server.port,
        MAIL_USE_SSL=server.use_ssl,
        MAIL_USE_TLS=server.use_starttls,
        MAIL_USERNAME=server.username,
        MAIL_PASSWORD=server.password,
        MAIL_TIMEOUT=settings.email_timeout_seconds,
        MAIL_DEFAULT_SENDER=settings.default_from_email,
    )
    Mail(app)
    app.extensions[EXTENSION_KEY] = MailSender(app)


class MailSender:
    """Delivers rendered messages from a thread pool, inside the app's context."""

    def __init__(self, app: Flask) -> None:
        self._app = app
        self._pool = ThreadPoolExecutor(SENDING_THREADS, thread_name_prefix="mail")
        self._pending: set[Future[object]] = set()

    def submit(self, message: EmailMultiAlternatives) -> None:
        self.run(lambda: self._deliver(message))

    def run(self, work: Callable[[], object]) -> None:
        """Run `work` on the pool (a job of this process, or one delivery)."""
        future = self._pool.submit(work)
        self._pending.add(future)
        future.add_done_callback(self._pending.discard)

    def wait(self, timeout: float = 10.0) -> None:
        """Block until every submitted message is delivered or failed (tests, shutdown)."""
        wait(list(self._pending), timeout=timeout)

    def _deliver(self, message: EmailMultiAlternatives) -> None:
        with self._app.app_context():
            try:
                message.send()
            except Exception:  # the request has answered: log, never raise
                logger.exception("Could not send %r to %s", message.subject, message.to)


def send_mail(*, to: str, subject: str, template: str, **context: Any) -> None:
    """Render templates/<template>.txt and .html and send them in the background."""
    text = _templates.get_template(f"{template}.txt").render(**context)
    html = _templates.get_template(f"{template}.html").render(**context)
    message = EmailMultiAlternatives(
        subject=subject, body=text, from_email=current_app.config["MAIL_DEFAULT_SENDER"], to=[to]
    )
    message.attach_alternative(html, "text/html")
    # A feature that queues mail (background jobs) takes the message instead.
    queue: MailQueue | None = current_app.extensions.get("mail_queue")
    if queue is not None:
        queue(message)
        return
    sender: MailSender = current_app.extensions[EXTENSION_KEY]
    sender.submit(message)
