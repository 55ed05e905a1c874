"""The live-updates settings (LIVE_*), read from the environment."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..settings import SettingsError

MAX_MESSAGE_BYTES = 64 * 1024
PACKAGE_NAME = __name__.partition(".")[0]


@dataclass(frozen=True)
class LiveSettings:
    ping_seconds: float = 20.0
    queue_size: int = 100
    # Each socket holds a server thread: keep some of GUNICORN_THREADS for HTTP requests.
    max_connections: int = 56
    max_message_bytes: int = MAX_MESSAGE_BYTES
    channel: str = f"{PACKAGE_NAME}:live:articles"

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> LiveSettings:
        return cls(
            ping_seconds=_number(environ, "LIVE_PING_SECONDS", 20.0, maximum=30.0),
            queue_size=int(_number(environ, "LIVE_QUEUE_SIZE", 100, maximum=100_000)),
            max_connections=int(_number(environ, "LIVE_MAX_CONNECTIONS", 56, maximum=100_000)),
        )


def _number(environ: Mapping[str, str], name: str, default: float, *, maximum: float) -> float:
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    try:
        number = float(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a number (got {raw!r})") from None
    if not 0 < number <= maximum:
        raise SettingsError(f"{name} must be above 0 and at most {maximum:g} (got {raw!r})")
    return number
