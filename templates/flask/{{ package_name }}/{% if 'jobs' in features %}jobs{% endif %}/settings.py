"""The background jobs' settings, read from the environment."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..settings import SettingsError

MAXIMUM = 86400.0


@dataclass(frozen=True)
class JobSettings:
    # A failed mail is retried after base x 2^attempt seconds, at most max_retries times.
    retry_base_seconds: float = 2.0
    max_retries: int = 5
    article_stats_interval_seconds: float = 3600.0

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> JobSettings:
        return cls(
            retry_base_seconds=_number(environ, "JOB_RETRY_BASE_SECONDS", 2.0),
            max_retries=int(_number(environ, "JOB_MAX_RETRIES", 5, minimum=0)),
            article_stats_interval_seconds=_number(
                environ, "ARTICLE_STATS_INTERVAL_SECONDS", 3600.0
            ),
        )


def _number(
    environ: Mapping[str, str], name: str, default: float, *, minimum: float | None = None
) -> float:
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    try:
        number = float(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a number (got {raw!r})") from None
    too_small = number < minimum if minimum is not None else number <= 0
    if too_small or number != number or number > MAXIMUM:
        bound = f"at least {minimum:g}" if minimum is not None else "above 0"
        raise SettingsError(f"{name} must be {bound} and at most {MAXIMUM:g} (got {raw!r})")
    return number
