"""Typed settings read from the environment (and a .env file in local development)."""

from __future__ import annotations

import ipaddress
import os
import secrets
from importlib.util import find_spec
from typing import Annotated, Literal

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_core import ErrorDetails
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PLACEHOLDER_SECRET_KEYS = frozenset({"", "changethis", "changeme", "secret", "change-me"})
MINIMUM_SECRET_KEY_LENGTH = 32

SUPPORTED_DATABASE_URLS = "sqlite:///path or postgresql://user@host:port/name"
ASYNC_DRIVERS = {
    "sqlite": "sqlite+aiosqlite",
    "sqlite+aiosqlite": "sqlite+aiosqlite",
    "postgres": "postgresql+asyncpg",
    "postgresql": "postgresql+asyncpg",
    "postgresql+asyncpg": "postgresql+asyncpg",
}

CommaSeparated = Annotated[list[str], NoDecode]


class ConfigurationError(SystemExit):
    """A setting that makes starting the service unsafe; exits with one clear line."""


class Settings(BaseSettings):
    # An empty value (`SECRET_KEY=` in .env) means unset: the default applies.
    model_config = SettingsConfigDict(
        env_file=".env", extra="ignore", frozen=True, env_ignore_empty=True
    )

    environment: Literal["local", "production", "test"] = "local"
    debug: bool = False
    # Every SQL statement in the log; DEBUG leaves it off (it floods the log).
    sql_echo: bool = False
    # Production must set its own; local development and tests get a fresh one per process.
    secret_key: str = Field(default="", repr=False)
    # Set when SECRET_KEY was missing and a random one stands in (the server says so at start).
    random_secret_key: bool = Field(default=False, exclude=True)
    database_url: str = "sqlite:///db.sqlite3"
    redis_url: str | None = None
    access_token_expire_minutes: int = Field(default=30, ge=1)
    jwt_algorithm: Literal["HS256", "HS384", "HS512"] = "HS256"
    cors_origins: CommaSeparated = []
    allowed_hosts: CommaSeparated = []
    # Proxies (addresses or networks) whose X-Forwarded-For / X-Forwarded-Proto are believed.
    trusted_proxies: CommaSeparated = []
    # Unset: on in production, off elsewhere. False when a proxy in front already redirects.
    secure_ssl_redirect: bool | None = None
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
            return {**data, "secret_key": secrets.token_urlsafe(50), "random_secret_key": True}
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

    @field_validator("database_url")
    @classmethod
    def supported_database(cls, value: str) -> str:
        if to_async_url(value).startswith("postgresql") and find_spec("asyncpg") is None:
            raise ValueError("PostgreSQL needs the asyncpg driver; run make setup")
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
    def redirects_to_https(self) -> bool:
        if self.secure_ssl_redirect is None:
            return self.is_production
        return self.secure_ssl_redirect

    @property
    def async_database_url(self) -> str:
        return to_async_url(self.database_url)

    @property
    def uses_postgresql(self) -> bool:
        return self.async_database_url.startswith("postgresql")


def is_placeholder(secret_key: object) -> bool:
    return not isinstance(secret_key, str) or secret_key.strip().lower() in PLACEHOLDER_SECRET_KEYS


def to_async_url(url: str) -> str:
    """Map the portable DATABASE_URL forms to the async drivers this service uses."""
    scheme, separator, rest = url.partition("://")
    driver = ASYNC_DRIVERS.get(scheme) if separator else None
    if driver is None:
        what = f"{scheme} is not supported" if separator else f"{url!r} is not a URL"
        raise ValueError(f"{what}; use {SUPPORTED_DATABASE_URLS}")
    return f"{driver}://{rest}"


def load_settings() -> Settings:
    """Settings from the environment, or one line saying what is wrong."""
    # The .env file is a local-development convenience; elsewhere only the real environment counts.
    env_file = ".env" if os.environ.get("ENVIRONMENT", "local") == "local" else None
    try:
        return Settings(_env_file=env_file)
    except ValidationError as error:
        problems = " | ".join(_describe(issue) for issue in error.errors(include_url=False))
        raise ConfigurationError(problems) from None


def _describe(issue: ErrorDetails) -> str:
    message = issue["msg"].removeprefix("Value error, ")
    if not issue["loc"]:
        return message
    return f"{'.'.join(str(part) for part in issue['loc']).upper()}: {message}"
