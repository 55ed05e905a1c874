"""Typed settings read from the environment (and a .env file in local development)."""

from __future__ import annotations

import ipaddress
import logging
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal
from urllib.parse import unquote, urlsplit

from dotenv import dotenv_values

Environment = Literal["local", "production", "test"]
ENVIRONMENTS: tuple[Environment, ...] = ("local", "production", "test")
PROJECT_DIR = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = f"sqlite:///{PROJECT_DIR / 'db.sqlite3'}"
PLACEHOLDER_SECRETS = frozenset(
    {"", "changethis", "changeme", "secret", "secret-key", "your-secret-key", "insecure"}
)
# URL schemes per database; the driver is always psycopg 3 for PostgreSQL.
SUPPORTED_DATABASES = {
    "sqlite": ("sqlite",),
    "postgresql": ("postgresql", "postgresql+psycopg"),
    "postgres": ("postgres",),
}
LOG_LEVELS = ("debug", "info", "warning", "error", "critical")
Network = ipaddress.IPv4Network | ipaddress.IPv6Network
DEFAULT_EMAIL_URL = "smtp://127.0.0.1:1025"
# EMAIL_URL scheme -> (implicit TLS, STARTTLS, default port)
EMAIL_SCHEMES = {
    "smtp": (False, False, 25),
    "smtp+ssl": (True, False, 465),
    "smtp+starttls": (False, True, 587),
}

logger = logging.getLogger(__name__)


class SettingsError(ValueError):
    """A setting is missing or invalid; the message is one line for the operator."""

    def line(self) -> str:
        return f"Configuration error: {self}"


class DatabaseUrlError(SettingsError):
    """DATABASE_URL names a database this project cannot use; the message says the fix."""

    def line(self) -> str:
        return str(self)


@dataclass(frozen=True)
class PasswordHashing:
    """argon2id cost parameters (the defaults are argon2-cffi's RFC 9106 low-memory profile)."""

    time_cost: int = 3
    memory_cost: int = 65536
    parallelism: int = 4


@dataclass(frozen=True)
class EmailServer:
    """Where mail goes, parsed from EMAIL_URL."""

    host: str = "127.0.0.1"
    port: int = 1025
    use_ssl: bool = False
    use_starttls: bool = False
    username: str | None = None
    password: str | None = field(default=None, repr=False)


@dataclass(frozen=True)
class Settings:
    environment: Environment = "local"
    debug: bool = False
    secret_key: str = ""
    database_url: str = DEFAULT_DATABASE_URL
    redis_url: str | None = None
    access_token_expire_minutes: int = 30
    cors_origins: tuple[str, ...] = ()
    allowed_hosts: tuple[str, ...] = ()
    secure_ssl_redirect: bool = False
    log_level: str = "info"
    sql_echo: bool = False
    db_pool_size: int = 5
    db_max_overflow: int = 10
    db_pool_timeout: float = 10.0
    db_timeout_seconds: float = 5.0
    trusted_proxies: tuple[Network, ...] = ()
    login_attempts: int = 5
    login_window_seconds: int = 900
    password_hashing: PasswordHashing = field(default_factory=PasswordHashing)
    email_server: EmailServer = field(default_factory=EmailServer)
    default_from_email: str = "webmaster@localhost"
    email_timeout_seconds: float = 5.0
    site_url: str = "http://127.0.0.1:8000"
    refresh_token_expire_days: int = 14
    password_reset_expire_minutes: int = 60
    email_verification_expire_hours: int = 48
    # True when SECRET_KEY was unset and this process signs with a key of its own.
    random_secret_key: bool = False

    @property
    def is_production(self) -> bool:
        return self.environment == "production"

    @property
    def sqlalchemy_url(self) -> str:
        """DATABASE_URL with the driver this project installs for PostgreSQL."""
        url = self.database_url
        for prefix in ("postgresql://", "postgres://"):
            if url.startswith(prefix):
                return "postgresql+psycopg://" + url.removeprefix(prefix)
        relative = url.removeprefix("sqlite:///")
        if url.startswith("sqlite:///") and relative and not relative.startswith("/"):
            # Relative SQLite paths mean the project folder, wherever the command runs.
            return f"sqlite:///{PROJECT_DIR / relative}"
        return url

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Build settings from `environ` (default: os.environ, plus .env when local)."""
        values = dict(os.environ if environ is None else environ)
        environment = _environment(values.get("ENVIRONMENT", "local"))
        if environ is None and environment == "local":
            values = {**_dotenv(), **values}
        settings = cls(
            environment=environment,
            debug=_boolean(values, "DEBUG", default=environment == "local"),
            secret_key=values.get("SECRET_KEY", "").strip(),
            database_url=_database_url(values.get("DATABASE_URL", "")),
            redis_url=values.get("REDIS_URL", "").strip() or None,
            access_token_expire_minutes=_integer(values, "ACCESS_TOKEN_EXPIRE_MINUTES", 30),
            cors_origins=_csv(values.get("CORS_ORIGINS", "")),
            allowed_hosts=_csv(values.get("ALLOWED_HOSTS", "")),
            secure_ssl_redirect=_boolean(
                values, "SECURE_SSL_REDIRECT", default=environment == "production"
            ),
            log_level=_log_level(values.get("LOG_LEVEL", "info")),
            sql_echo=_boolean(values, "SQL_ECHO", default=False),
            db_pool_size=_integer(values, "DB_POOL_SIZE", 5),
            db_max_overflow=_integer(values, "DB_MAX_OVERFLOW", 10),
            db_timeout_seconds=_seconds(values, "DB_TIMEOUT_SECONDS", 5.0),
            trusted_proxies=_networks(values.get("TRUSTED_PROXIES", "")),
            email_server=email_server(values.get("EMAIL_URL", "")),
            default_from_email=values.get("DEFAULT_FROM_EMAIL", "").strip()
            or "webmaster@localhost",
            email_timeout_seconds=_seconds(values, "EMAIL_TIMEOUT_SECONDS", 5.0),
            site_url=_site_url(values.get("SITE_URL", "")),
            refresh_token_expire_days=_integer(values, "REFRESH_TOKEN_EXPIRE_DAYS", 14),
            password_reset_expire_minutes=_integer(values, "PASSWORD_RESET_EXPIRE_MINUTES", 60),
            email_verification_expire_hours=_integer(values, "EMAIL_VERIFICATION_EXPIRE_HOURS", 48),
        )
        return settings.checked()

    def checked(self) -> Settings:
        """Refuse a production start without a real secret; elsewhere use a random one."""
        if self.secret_key.lower() in PLACEHOLDER_SECRETS:
            if self.is_production:
                raise SettingsError(
                    "SECRET_KEY is missing or a placeholder: set it to a long random value "
                    '(python -c "import secrets; print(secrets.token_urlsafe(50))")'
                )
            return replace(self, secret_key=secrets.token_urlsafe(50), random_secret_key=True)
        if self.is_production and len(self.secret_key) < 32:
            raise SettingsError("SECRET_KEY is too short: use at least 32 random characters")
        return self


def warn_when_serving(settings: Settings) -> None:
    """What a server says at start about settings that only matter while serving."""
    if settings.random_secret_key and settings.environment == "local":
        logger.warning(
            "SECRET_KEY is not set: signing with a random key for this process "
            "(tokens and sessions end when it stops)"
        )
    if settings.redis_url is None and settings.is_production:
        logger.warning(
            "Login throttle counts attempts per process (in memory): "
            "set REDIS_URL to share the count between worker processes"
        )


def settings_for_tests(**overrides: Any) -> Settings:
    """Settings for the test suite: fast password hashing, an in-memory database."""
    base = Settings(
        environment="test",
        secret_key=secrets.token_urlsafe(50),
        database_url="sqlite://",
        password_hashing=PasswordHashing(time_cost=1, memory_cost=8, parallelism=1),
    )
    return replace(base, **overrides)


def _dotenv() -> dict[str, str]:
    path = PROJECT_DIR / ".env"
    if not path.is_file():
        return {}
    return {key: value for key, value in dotenv_values(path).items() if value is not None}


def _database_url(raw: str) -> str:
    url = raw.strip() or DEFAULT_DATABASE_URL
    scheme = url.partition(":")[0].lower()
    backend = scheme.partition("+")[0]
    if backend not in SUPPORTED_DATABASES or scheme not in SUPPORTED_DATABASES[backend]:
        raise DatabaseUrlError(
            f"DATABASE_URL: {backend or url} is not supported; "
            "use sqlite:///path or postgresql://user@host:port/name"
        )
    if backend != "sqlite" and not _psycopg_installed():
        raise DatabaseUrlError("DATABASE_URL: PostgreSQL needs the psycopg driver; run make setup")
    return url


def _psycopg_installed() -> bool:
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return False
    return True


def _environment(value: str) -> Environment:
    cleaned = value.strip().lower() or "local"
    if cleaned not in ENVIRONMENTS:
        raise SettingsError(f"ENVIRONMENT must be one of {', '.join(ENVIRONMENTS)} (got {value!r})")
    return cleaned


def _boolean(values: Mapping[str, str], name: str, *, default: bool) -> bool:
    raw = values.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in {"1", "true", "yes", "on"}:
        return True
    if raw in {"0", "false", "no", "off"}:
        return False
    raise SettingsError(f"{name} must be true or false (got {raw!r})")


def _integer(values: Mapping[str, str], name: str, default: int) -> int:
    raw = values.get(name, "").strip()
    if not raw:
        return default
    try:
        number = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number (got {raw!r})") from None
    if number < 0:
        raise SettingsError(f"{name} must not be negative (got {number})")
    return number


def _seconds(values: Mapping[str, str], name: str, default: float) -> float:
    raw = values.get(name, "").strip()
    if not raw:
        return default
    try:
        number = float(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a number of seconds (got {raw!r})") from None
    if not 0 < number < 3600:
        raise SettingsError(f"{name} must be between 0 and 3600 seconds (got {raw!r})")
    return number


def _networks(raw: str) -> tuple[Network, ...]:
    try:
        return tuple(ipaddress.ip_network(item) for item in _csv(raw))
    except ValueError:
        raise SettingsError(
            f"TRUSTED_PROXIES must list IP addresses or networks (got {raw!r})"
        ) from None


def _csv(raw: str) -> tuple[str, ...]:
    return tuple(item.strip() for item in raw.split(",") if item.strip())


def _log_level(raw: str) -> str:
    level = raw.strip().lower() or "info"
    if level not in LOG_LEVELS:
        raise SettingsError(f"LOG_LEVEL must be one of {', '.join(LOG_LEVELS)} (got {raw!r})")
    return level


def email_server(raw: str) -> EmailServer:
    """EMAIL_URL as an EmailServer; a SettingsError that never shows the password."""
    url = raw.strip() or DEFAULT_EMAIL_URL
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    shown = parts._replace(netloc=parts.netloc.rpartition("@")[2]).geturl()
    if scheme not in EMAIL_SCHEMES or not parts.hostname:
        raise SettingsError(
            f"EMAIL_URL must look like smtp://host:port, smtp+ssl://... or "
            f"smtp+starttls://user:password@host:port (got {shown!r})"
        )
    use_ssl, use_starttls, default_port = EMAIL_SCHEMES[scheme]
    try:
        port = parts.port or default_port
    except ValueError:
        raise SettingsError(f"EMAIL_URL has a bad port (got {shown!r})") from None
    return EmailServer(
        host=parts.hostname,
        port=port,
        use_ssl=use_ssl,
        use_starttls=use_starttls,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
    )


def _site_url(raw: str) -> str:
    url = raw.strip().rstrip("/") or "http://127.0.0.1:8000"
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise SettingsError(
            f"SITE_URL must be an http(s) URL like https://example.com (got {raw!r})"
        )
    return url
