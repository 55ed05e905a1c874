"""Django's SMTP settings from one EMAIL_URL such as smtp+starttls://user:pass@host:587."""

from __future__ import annotations

from typing import NamedTuple
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

# scheme -> (EMAIL_USE_SSL, EMAIL_USE_TLS, default port)
SCHEMES = {
    "smtp": (False, False, 25),
    "smtp+ssl": (True, False, 465),
    "smtp+starttls": (False, True, 587),
}


class SMTPServer(NamedTuple):
    host: str
    port: int
    use_ssl: bool
    use_tls: bool
    user: str
    password: str


def email_config(url: str) -> SMTPServer:
    """The SMTP server of an EMAIL_URL; a bad URL is one ImproperlyConfigured line."""
    parts = urlsplit(url)
    if parts.scheme not in SCHEMES:
        raise ImproperlyConfigured(
            f"EMAIL_URL must start with {', '.join(s + '://' for s in SCHEMES)} "
            f"(got {parts.scheme + '://' if parts.scheme else 'no scheme'})"
        )
    use_ssl, use_tls, default_port = SCHEMES[parts.scheme]
    try:
        port = parts.port or default_port
    except ValueError:
        raise ImproperlyConfigured("EMAIL_URL has a port that is not a number") from None
    if not parts.hostname:
        raise ImproperlyConfigured(f"EMAIL_URL names no host (got {parts.scheme}://...)")
    return SMTPServer(
        host=parts.hostname,
        port=port,
        use_ssl=use_ssl,
        use_tls=use_tls,
        user=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
    )
