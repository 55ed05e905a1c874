"""Who the client is, when proxies stand in between: believed only from TRUSTED_PROXIES."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

Network = ipaddress.IPv4Network | ipaddress.IPv6Network

# What a client could send to pass for someone else, or for an HTTPS request.
FORWARDED_HEADERS = (
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PORT",
)


def parse_networks(entries: Iterable[str]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry) for entry in entries)


def is_trusted(address: str, networks: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address(peer: str, forwarded_for: str, networks: tuple[Network, ...]) -> str:
    """The peer, unless it is a trusted proxy: then the right-most untrusted X-Forwarded-For hop.

    Each proxy appends the address it saw, so the entries left of the last
    trusted proxy are whatever the client chose to send, and are ignored.
    """
    if not is_trusted(peer, networks):
        return peer
    address = peer
    for hop in reversed(forwarded_for.split(",")):
        hop = hop.strip()
        if not hop:
            break
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            break  # a proxy that wrote no address: trust nothing further left
        address = hop
        if not is_trusted(hop, networks):
            break
    return address
