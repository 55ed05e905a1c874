"""Typed readers for environment variables."""

from __future__ import annotations

import ipaddress
import os

from django.core.exceptions import ImproperlyConfigured

# Values that tutorials and templates ship: never a key, in any environment.
PLACEHOLDER_SECRETS = frozenset({"", "changethis", "changeme", "secret", "your-secret-key"})
TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off", ""})


def env_str(name: str, default: str = "") -> str:
    """The variable's value; unset and empty both mean the default."""
    return (os.environ.get(name) or default).strip()


def env_bool(name: str, *, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false (got {raw!r})")


def env_int(name: str, *, default: int, minimum: int = 0) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number (got {raw!r})") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum} (got {value})")
    return value


def env_list(name: str, default: str = "") -> list[str]:
    """A comma-separated variable as a list, without blanks."""
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


def env_float(name: str, *, default: float, minimum: float = 0.0) -> float:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number (got {raw!r})") from None
    if not value >= minimum or value == float("inf"):
        raise ImproperlyConfigured(f"{name} must be a finite number of at least {minimum}")
    return value


def env_networks(name: str) -> list[str]:
    """A comma-separated list of IP addresses or CIDR networks, checked now."""
    entries = env_list(name)
    for entry in entries:
        try:
            ipaddress.ip_network(entry)
        except ValueError as error:
            raise ImproperlyConfigured(f"{name}: {error}") from None
    return entries


def is_placeholder_secret(value: str) -> bool:
    return value.lower() in PLACEHOLDER_SECRETS or value.startswith("django-insecure")
