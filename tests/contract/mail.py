"""A real SMTP server on 127.0.0.1 that keeps every message the starters send.

One server per test process (aiosmtpd's Controller in a thread of its own); every
contract server is pointed at it through EMAIL_URL. Tests mail fresh addresses, so
each finds its own messages by recipient. An address can be made slow, to show that
a starter sends mail off the request path.
"""

from __future__ import annotations

import asyncio
import atexit
import email
import email.policy
import re
import threading
import time
from dataclasses import dataclass
from email.message import EmailMessage
from urllib.parse import parse_qs, urlsplit

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from tests.support import free_port

WAIT_SECONDS = 5.0
LINK = re.compile(r"https?://[^\s\"'<>]+")


@dataclass(frozen=True)
class Mail:
    """One delivered message, as its recipient would read it."""

    sender: str
    recipients: tuple[str, ...]
    subject: str
    text: str
    html: str

    def links(self) -> list[str]:
        return LINK.findall(self.text)

    def link_with_token(self) -> str:
        """The one link in the text body that carries `token=`."""
        found = [link for link in self.links() if "token" in parse_qs(urlsplit(link).query)]
        assert len(found) == 1, f"expected one link with token= in the text body: {self.text!r}"
        return found[0]

    def token(self) -> str:
        return parse_qs(urlsplit(self.link_with_token()).query)["token"][0]


def parse_mail(envelope: Envelope) -> Mail:
    raw = envelope.original_content or envelope.content or b""
    message = email.message_from_bytes(
        raw if isinstance(raw, bytes) else raw.encode(), policy=email.policy.default
    )
    assert isinstance(message, EmailMessage)
    return Mail(
        sender=str(message.get("From", "")),
        recipients=tuple(address.lower() for address in envelope.rcpt_tos),
        subject=str(message.get("Subject", "")),
        text=_body(message, "plain"),
        html=_body(message, "html"),
    )


def _body(message: EmailMessage, subtype: str) -> str:
    part = message.get_body(preferencelist=(subtype,))
    if part is None or part.get_content_subtype() != subtype:
        return ""
    content = part.get_content()
    return content if isinstance(content, str) else content.decode(errors="replace")


class MailBox:
    """The SMTP handler: keeps each message and lets tests wait for the mail to one address."""

    def __init__(self) -> None:
        self._mails: list[Mail] = []
        self._delays: dict[str, float] = {}
        self._arrived = threading.Condition()

    async def handle_DATA(self, _server: SMTP, _session: Session, envelope: Envelope) -> str:
        delay = max((self._delays.get(rcpt.lower(), 0.0) for rcpt in envelope.rcpt_tos), default=0)
        if delay:
            await asyncio.sleep(delay)
        mail = parse_mail(envelope)
        with self._arrived:
            self._mails.append(mail)
            self._arrived.notify_all()
        return "250 Message accepted for delivery"

    def slow_down(self, address: str, seconds: float) -> None:
        """Answer the DATA of mail to `address` only after `seconds`."""
        self._delays[address.lower()] = seconds

    def to(self, address: str, subject: str | None = None) -> list[Mail]:
        with self._arrived:
            return self._for(address, subject)

    def wait_for(
        self,
        address: str,
        *,
        count: int = 1,
        subject: str | None = None,
        timeout: float = WAIT_SECONDS,
    ) -> list[Mail]:
        """The first `count` mails to `address` (with `subject`), waiting up to `timeout` s."""
        deadline = time.monotonic() + timeout
        with self._arrived:
            while len(found := self._for(address, subject)) < count:
                left = deadline - time.monotonic()
                assert left > 0, f"{len(found)} of {count} mails to {address} within {timeout} s"
                self._arrived.wait(left)
        return found

    def one_for(self, address: str, subject: str, *, timeout: float = WAIT_SECONDS) -> Mail:
        return self.wait_for(address, subject=subject, timeout=timeout)[0]

    def none_for(self, address: str, *, within: float = 1.0) -> None:
        """No mail reaches `address` within `within` seconds."""
        time.sleep(within)
        assert not self.to(address), [mail.subject for mail in self.to(address)]

    def _for(self, address: str, subject: str | None = None) -> list[Mail]:
        return [
            mail
            for mail in self._mails
            if address.lower() in mail.recipients and subject in (None, mail.subject)
        ]


@dataclass(frozen=True)
class MailServer:
    box: MailBox
    port: int

    @property
    def email_url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"


_started: list[MailServer] = []
_start_lock = threading.Lock()


def mail_server() -> MailServer:
    """This process's SMTP server, started on first use and stopped when the process ends."""
    with _start_lock:
        if not _started:
            box, port = MailBox(), free_port()
            controller = Controller(box, hostname="127.0.0.1", port=port)
            controller.start()
            atexit.register(controller.stop)
            _started.append(MailServer(box, port))
        return _started[0]
