"""X-Forwarded-For and X-Forwarded-Proto, believed only from the proxies in TRUSTED_PROXIES.

This is the one place that reads them (gunicorn's own scheme headers are off): the
client address used by the login throttle and the scheme of absolute URLs.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from typing import TYPE_CHECKING

from .settings import Network

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

SCHEMES = frozenset({"http", "https"})


class TrustedProxies:
    """WSGI middleware: the client is the peer, unless the peer is a trusted proxy."""

    def __init__(self, app: WSGIApplication, networks: Iterable[Network]) -> None:
        self.app = app
        self.networks = tuple(networks)

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        peer = environ.get("REMOTE_ADDR", "")
        if self.is_trusted(peer):
            environ["REMOTE_ADDR"] = self.client(peer, environ.get("HTTP_X_FORWARDED_FOR", ""))
            scheme = environ.get("HTTP_X_FORWARDED_PROTO", "").rpartition(",")[2].strip().lower()
            if scheme in SCHEMES:
                environ["wsgi.url_scheme"] = scheme
        return self.app(environ, start_response)

    def is_trusted(self, address: str) -> bool:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in network for network in self.networks)

    def client(self, peer: str, forwarded_for: str) -> str:
        """The right-most X-Forwarded-For entry that is not itself a trusted proxy."""
        for entry in reversed(forwarded_for.split(",")):
            address = entry.strip()
            if not self.is_trusted(address):
                return address if _is_ip(address) else peer
        return peer


def _is_ip(address: str) -> bool:
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return False
    return True
