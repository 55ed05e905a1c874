"""Mail rendered from templates and sent over SMTP (aiosmtplib) in the background.

The bodies are rendered while the request runs; the delivery is a task of its own,
started once the transaction that asked for the mail has committed, so an answer
never waits for the mail server (nor tells, by its timing, whether an address
exists). Each delivery gives up after EMAIL_TIMEOUT_SECONDS; failures are logged.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from email.message import EmailMessage
from functools import cache
from typing import TYPE_CHECKING, Any

from ..settings import EmailServer, Settings

if TYPE_CHECKING:
    from jinja2 import Environment

logger = logging.getLogger(__name__)

# Takes a rendered message from the request path to whoever delivers it instead.
MailQueue = Callable[[EmailMessage], Awaitable[None]]


@cache
def _templates() -> Environment:
    # Jinja and the SMTP client are imported with the first mail, not by every worker at
    # start: about 1.5 MB of memory per worker process that may never send one.
    from jinja2 import Environment, PackageLoader, select_autoescape

    return Environment(
        loader=PackageLoader(__name__, "templates"),
        autoescape=select_autoescape(["html"]),
        keep_trailing_newline=True,
    )


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    # Template names without extension: templates/<template>.txt and .html.
    template: str
    context: dict[str, Any] = field(default_factory=dict)


def render(mail: Mail, *, sender: str) -> EmailMessage:
    """The message with a text body and its HTML alternative."""
    message = EmailMessage()
    message["Subject"] = mail.subject
    message["From"] = sender
    message["To"] = mail.to
    templates = _templates()
    message.set_content(templates.get_template(f"{mail.template}.txt").render(mail.context))
    html = templates.get_template(f"{mail.template}.html").render(mail.context)
    message.add_alternative(html, subtype="html")
    return message


class Mailer:
    """Delivers rendered messages from background tasks; `wait` lets tests and shutdown catch up.

    With a `queue` set, the background task hands the message to it instead of sending it.
    """

    def __init__(self, *, server: EmailServer, sender: str, timeout: float) -> None:
        self.server = server
        self.sender = sender
        self.timeout = timeout
        self.queue: MailQueue | None = None
        self._pending: set[asyncio.Task[None]] = set()

    @classmethod
    def from_settings(cls, settings: Settings) -> Mailer:
        return cls(
            server=settings.email_server,
            sender=settings.default_from_email,
            timeout=settings.email_timeout_seconds,
        )

    def send(self, mail: Mail) -> None:
        """Render the mail now and deliver it in the background; call after the commit."""
        message = render(mail, sender=self.sender)
        handoff = self._deliver(message) if self.queue is None else self._enqueue(message)
        task = asyncio.get_running_loop().create_task(handoff)
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    async def wait(self) -> None:
        """Until every mail handed over so far is sent or has failed (each has a timeout)."""
        if self._pending:
            await asyncio.wait(set(self._pending))

    async def _enqueue(self, message: EmailMessage) -> None:
        assert self.queue is not None
        try:
            await self.queue(message)
        except Exception as error:  # the request has answered: log, never raise
            logger.error("mail %r to %s not queued: %s", message["Subject"], message["To"], error)

    async def _deliver(self, message: EmailMessage) -> None:
        try:
            await deliver(message, server=self.server, timeout_seconds=self.timeout)
        except Exception as error:  # the request has answered: log, never raise
            logger.warning("mail %r to %s not sent: %s", message["Subject"], message["To"], error)


async def deliver(message: EmailMessage, *, server: EmailServer, timeout_seconds: float) -> None:
    """Send one message over SMTP; raises what aiosmtplib raises (SMTP errors, timeouts)."""
    import aiosmtplib  # see _templates

    await aiosmtplib.send(
        message,
        hostname=server.host,
        port=server.port,
        username=server.username,
        password=server.password,
        use_tls=server.use_tls,
        start_tls=server.start_tls,
        timeout=timeout_seconds,
    )
