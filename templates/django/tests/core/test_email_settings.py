"""EMAIL_URL becomes Django's SMTP settings; a bad one is one clear line."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.settings.email import SMTPServer, email_config


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("smtp://127.0.0.1:1025", SMTPServer("127.0.0.1", 1025, False, False, "", "")),
        ("smtp://mail.example.com", SMTPServer("mail.example.com", 25, False, False, "", "")),
        ("smtp+ssl://mail.example.com", SMTPServer("mail.example.com", 465, True, False, "", "")),
        (
            "smtp+starttls://ada%40example.com:p%2Fss@mail.example.com:2525",
            SMTPServer("mail.example.com", 2525, False, True, "ada@example.com", "p/ss"),
        ),
    ],
)
def test_reads_each_scheme(url: str, expected: SMTPServer) -> None:
    assert email_config(url) == expected


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://user:secret@mail.example.com", "EMAIL_URL must start with smtp://"),
        ("mail.example.com", "(got no scheme)"),
        ("smtp://mail.example.com:port", "port that is not a number"),
        ("smtp://:25", "names no host"),
    ],
)
def test_refuses_a_bad_url_in_one_line_without_its_secret(url: str, message: str) -> None:
    with pytest.raises(ImproperlyConfigured) as refused:
        email_config(url)
    assert message in str(refused.value)
    assert "secret" not in str(refused.value)
    assert "\n" not in str(refused.value)
