"""Pick the settings module from the environment before Django starts."""

from __future__ import annotations

import os
from pathlib import Path

from dotenv import dotenv_values, load_dotenv

PROJECT_DIR = Path(__file__).resolve().parent.parent
ENVIRONMENTS = ("local", "production", "test")


def environment_name(env_file: Path = PROJECT_DIR / ".env") -> str:
    """ENVIRONMENT from the process, else from the .env file, else `local`."""
    name = os.environ.get("ENVIRONMENT") or dotenv_values(env_file).get("ENVIRONMENT") or "local"
    if name not in ENVIRONMENTS:
        raise SystemExit(f"ENVIRONMENT must be one of {', '.join(ENVIRONMENTS)} (got {name!r})")
    return name


def configure(env_file: Path = PROJECT_DIR / ".env") -> str:
    """Set DJANGO_SETTINGS_MODULE (unless given) and return it.

    The .env file is read only in local development; production reads the
    real environment alone, and variables already set always win.
    """
    name = environment_name(env_file)
    if name == "local":
        load_dotenv(env_file, override=False)
    return os.environ.setdefault("DJANGO_SETTINGS_MODULE", f"config.settings.{name}")


def load_settings() -> None:
    """Import the settings now, turning a configuration mistake into one clear line."""
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    try:
        settings.INSTALLED_APPS  # noqa: B018  (the access imports the settings module)
    except ImproperlyConfigured as error:
        raise SystemExit(f"Configuration error: {error}") from None
