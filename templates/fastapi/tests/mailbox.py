"""A real SMTP server for the suite: aiosmtpd on 127.0.0.1, keeping what it receives."""

from __future__ import annotations

import email
import email.policy
import re
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import EmailMessage
from urllib.parse import parse_qs, urlsplit

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

TOKEN_LINK = re.compile(r"https?://\S+token=\S+")


@dataclass(frozen=True)
class Mail:
    recipients: tuple[str, ...]
    sender: str
    subject: str
    text: str
    html: str

    def link(self) -> str:
        found = TOKEN_LINK.findall(self.text)
        assert len(found) == 1, self.text
        return str(found[0])

    def token(self) -> str:
        return parse_qs(urlsplit(self.link()).query)["token"][0]


@dataclass
class Mailbox:
    port: int = 0
    messages: list[Mail] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or b""
        message = email.message_from_bytes(raw, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        text, html = (message.get_body((kind,)) for kind in ("plain", "html"))
        assert text is not None
        assert html is not None
        mail = Mail(
            recipients=tuple(envelope.rcpt_tos),
            sender=str(envelope.mail_from),
            subject=str(message["Subject"]),
            text=text.get_content(),
            html=html.get_content(),
        )
        with self._lock:
            self.messages.append(mail)
        return "250 OK"

    def clear(self) -> None:
        with self._lock:
            self.messages.clear()

    def to(self, address: str) -> list[Mail]:
        with self._lock:
            return [mail for mail in self.messages if address in mail.recipients]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def start_smtp_server() -> tuple[Mailbox, Callable[[], None]]:
    mailbox = Mailbox(port=_free_port())
    controller = Controller(mailbox, hostname="127.0.0.1", port=mailbox.port)
    controller.start()
    return mailbox, controller.stop
