"""DATABASES from DATABASE_URL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

# Bounds every attempt to reach PostgreSQL, so the readiness probe never hangs.
CONNECT_TIMEOUT_SECONDS = 2
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 5,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}


def database_config(url: str, *, base_dir: Path, conn_max_age: int) -> dict[str, Any]:
    """Django's settings for one database, from a URL such as postgresql://user@host/name."""
    try:
        config: dict[str, Any] = dict(
            dj_database_url.parse(url, conn_max_age=conn_max_age, conn_health_checks=True)
        )
    except ValueError as error:
        raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {error}") from None
    engine = config["ENGINE"]
    if engine == "django.db.backends.sqlite3":
        config["NAME"] = _sqlite_path(str(config["NAME"]), base_dir)
        config["OPTIONS"] = {**SQLITE_OPTIONS, **config.get("OPTIONS", {})}
    elif engine == "django.db.backends.postgresql":
        options = config.get("OPTIONS", {})
        config["OPTIONS"] = {"connect_timeout": CONNECT_TIMEOUT_SECONDS, **options}
    return config


def _sqlite_path(name: str, base_dir: Path) -> str:
    """Relative SQLite paths live in the project folder, whatever the working directory."""
    if not name or name == ":memory:" or Path(name).is_absolute():
        return name or ":memory:"
    return str(base_dir / name)
