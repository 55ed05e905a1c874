"""Typed settings read from the environment (and a .env file in local development)."""

from __future__ import annotations

import ipaddress
import logging
import os
import secrets
from typing import Annotated, Literal

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_core import ErrorDetails
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PLACEHOLDER_SECRET_KEYS = frozenset({"", "changethis", "changeme", "secret", "change-me"})
MINIMUM_SECRET_KEY_LENGTH = 32

CommaSeparated = Annotated[list[str], NoDecode]

logger = logging.getLogger(__name__)


class ConfigurationError(SystemExit):
    """A setting that makes starting the service unsafe; exits with one clear line."""


class Settings(BaseSettings):
    # An empty value (`SECRET_KEY=` in .env) means unset: the default applies.
    model_config = SettingsConfigDict(
        env_file=".env", extra="ignore", frozen=True, env_ignore_empty=True
    )

    environment: Literal["local", "production", "test"] = "local"
    debug: bool = False
    # Production must set its own; local development and tests get a fresh one per process.
    secret_key: str = Field(default="", repr=False)
    database_url: str = "sqlite:///db.sqlite3"
    redis_url: str | None = None
    access_token_expire_minutes: int = Field(default=30, ge=1)
    jwt_algorithm: Literal["HS256", "HS384", "HS512"] = "HS256"
    cors_origins: CommaSeparated = []
    allowed_hosts: CommaSeparated = []
    # Proxies (addresses or networks) whose X-Forwarded-For / X-Forwarded-Proto are believed.
    trusted_proxies: CommaSeparated = []
    secure_ssl_redirect: bool = False
    log_level: Literal["critical", "error", "warning", "info", "debug"] = "info"

    db_pool_size: int = Field(default=10, ge=1)
    db_max_overflow: int = Field(default=10, ge=0)
    # Bounds every connect, pool checkout and statement, so a hung database fails fast (503).
    db_timeout_seconds: float = Field(default=5, gt=0)
    max_body_size: int = Field(default=1024 * 1024, ge=1)

    login_attempts_limit: int = Field(default=5, ge=1)
    login_window_seconds: int = Field(default=15 * 60, ge=1)

    # Argon2id cost parameters; tests lower them to keep the suite fast.
    password_hash_time_cost: int = Field(default=3, ge=1)
    password_hash_memory_kib: int = Field(default=64 * 1024, ge=8)
    password_hash_parallelism: int = Field(default=4, ge=1)

    @model_validator(mode="before")
    @classmethod
    def ephemeral_secret_outside_production(cls, data: object) -> object:
        if not isinstance(data, dict) or data.get("environment", "local") == "production":
            return data
        if is_placeholder(data.get("secret_key")):
            logger.warning(
                "SECRET_KEY is not set: signing with a random key for this process only "
                "(tokens and sessions end when it stops)"
            )
            return {**data, "secret_key": secrets.token_urlsafe(50)}
        return data

    @field_validator("cors_origins", "allowed_hosts", "trusted_proxies", mode="before")
    @classmethod
    def split_commas(cls, value: object) -> object:
        if isinstance(value, str):
            return [item.strip() for item in value.split(",") if item.strip()]
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def addresses_or_networks(cls, value: list[str]) -> list[str]:
        for item in value:
            ipaddress.ip_network(item)  # ValueError names the bad entry
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def lowercase_level(cls, value: object) -> object:
        return value.lower() if isinstance(value, str) else value

    @model_validator(mode="after")
    def refuse_weak_secret_in_production(self) -> Settings:
        if not self.is_production:
            return self
        if is_placeholder(self.secret_key):
            raise ValueError("SECRET_KEY must be set to a random value in production")
        if len(self.secret_key) < MINIMUM_SECRET_KEY_LENGTH:
            raise ValueError(
                f"SECRET_KEY must be at least {MINIMUM_SECRET_KEY_LENGTH} characters in production"
            )
        return self

    @property
    def is_production(self) -> bool:
        return self.environment == "production"

    @property
    def async_database_url(self) -> str:
        return to_async_url(self.database_url)


def is_placeholder(secret_key: object) -> bool:
    return not isinstance(secret_key, str) or secret_key.strip().lower() in PLACEHOLDER_SECRET_KEYS


def to_async_url(url: str) -> str:
    """Map the portable DATABASE_URL forms to the async drivers this service uses."""
    scheme, separator, rest = url.partition("://")
    if not separator:
        raise ValueError(f"DATABASE_URL is not a URL: {url!r}")
    drivers = {
        "sqlite": "sqlite+aiosqlite",
        "postgres": "postgresql+asyncpg",
        "postgresql": "postgresql+asyncpg",
    }
    return f"{drivers.get(scheme, scheme)}://{rest}"


def load_settings() -> Settings:
    """Settings from the environment, or one line saying what is wrong."""
    # The .env file is a local-development convenience; elsewhere only the real environment counts.
    env_file = ".env" if os.environ.get("ENVIRONMENT", "local") == "local" else None
    try:
        return Settings(_env_file=env_file)
    except ValidationError as error:
        problems = "; ".join(_describe(issue) for issue in error.errors(include_url=False))
        raise ConfigurationError(f"Invalid configuration: {problems}") from None


def _describe(issue: ErrorDetails) -> str:
    message = issue["msg"].removeprefix("Value error, ")
    if not issue["loc"]:
        return message
    return f"{'.'.join(str(part) for part in issue['loc']).upper()}: {message}"
