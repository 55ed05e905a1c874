from __future__ import annotations

import os
import runpy
import warnings
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config import environment
from config.database import DatabaseURLError
from config.settings.database import POSTGRESQL_ENGINE, database_config, postgresql_options
from config.settings.env import env_bool, env_float, env_int, env_list, env_networks

GOOD_SECRET = "a-production-secret-that-is-long-and-random-0123456789abcdef"


def test_env_readers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLAG", "Yes")
    monkeypatch.setenv("COUNT", "7")
    monkeypatch.setenv("ITEMS", " a, ,b ")
    assert env_bool("FLAG", default=False) is True
    assert env_bool("MISSING_FLAG", default=True) is True
    assert env_int("COUNT", default=1) == 7
    assert env_int("MISSING_COUNT", default=3) == 3
    assert env_list("ITEMS") == ["a", "b"]
    monkeypatch.setenv("FLAG", "off")
    assert env_bool("FLAG", default=True) is False


def test_env_readers_refuse_bad_values(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="FLAG"):
        env_bool("FLAG", default=False)


@pytest.mark.parametrize("value", ["many", "-1"])
def test_env_int_refuses_bad_values(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("COUNT", value)
    with pytest.raises(ImproperlyConfigured, match="COUNT"):
        env_int("COUNT", default=0)


def test_database_urls(tmp_path: Path) -> None:
    sqlite = database_config("sqlite:///db.sqlite3", base_dir=tmp_path, conn_max_age=0, timeout=5)
    assert sqlite["NAME"] == str(tmp_path / "db.sqlite3")
    assert sqlite["OPTIONS"]["timeout"] == 5
    memory = database_config("sqlite://:memory:", base_dir=tmp_path, conn_max_age=0, timeout=5)
    assert memory["NAME"] == ":memory:"
    postgres = database_config(
        "postgresql://app@db.internal:5432/blog", base_dir=tmp_path, conn_max_age=60, timeout=5
    )
    assert postgres["ENGINE"] == POSTGRESQL_ENGINE
    assert postgres["OPTIONS"] == {"connect_timeout": 5, "options": "-c statement_timeout=5000"}
    assert (postgres["CONN_MAX_AGE"], postgres["CONN_HEALTH_CHECKS"]) == (60, True)
    with pytest.raises(DatabaseURLError, match="DATABASE_URL: nosuchdb is not supported"):
        database_config("nosuchdb://x", base_dir=tmp_path, conn_max_age=0, timeout=5)


def test_postgresql_timeouts_follow_db_timeout_seconds() -> None:
    # libpq counts whole seconds, and no fewer than 2.
    assert postgresql_options({}, timeout=0.5) == {
        "connect_timeout": 2,
        "options": "-c statement_timeout=500",
    }
    kept = postgresql_options({"options": "-c search_path=app", "sslmode": "require"}, timeout=2.5)
    assert kept == {
        "connect_timeout": 3,
        "sslmode": "require",
        "options": "-c search_path=app -c statement_timeout=2500",
    }


def test_env_float_and_networks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SECONDS", "2.5")
    monkeypatch.setenv("PROXIES", "10.0.0.1, 192.168.0.0/16,::1")
    assert env_float("SECONDS", default=5) == 2.5
    assert env_float("MISSING_SECONDS", default=5) == 5
    assert env_networks("PROXIES") == ["10.0.0.1", "192.168.0.0/16", "::1"]
    for value in ("soon", "-1", "nan", "inf"):
        monkeypatch.setenv("SECONDS", value)
        with pytest.raises(ImproperlyConfigured, match="SECONDS"):
            env_float("SECONDS", default=5)
    monkeypatch.setenv("PROXIES", "10.0.0.1/8")
    with pytest.raises(ImproperlyConfigured, match="PROXIES"):
        env_networks("PROXIES")


def production(monkeypatch: pytest.MonkeyPatch, **env: str) -> dict[str, object]:
    # Whatever the shell or a loaded .env says (make setup writes DEBUG=true there).
    for name in ("DEBUG", "SECURE_SSL_REDIRECT", "CONN_MAX_AGE"):
        monkeypatch.delenv(name, raising=False)
    defaults = {"SECRET_KEY": GOOD_SECRET, "ALLOWED_HOSTS": "example.com"}
    for key, value in {**defaults, **env}.items():
        monkeypatch.setenv(key, value)
    return runpy.run_module("config.settings.production")


def test_production_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = production(monkeypatch, DATABASE_URL="postgresql://app@db/blog")
    assert settings["DEBUG"] is False
    assert settings["SECURE_SSL_REDIRECT"] is True
    assert settings["SECURE_HSTS_SECONDS"] == 31536000
    assert settings["SESSION_COOKIE_SECURE"] is True
    conn_max_age = settings["DATABASES"]["default"]["CONN_MAX_AGE"]  # type: ignore[index]
    assert conn_max_age == settings["PRODUCTION_CONN_MAX_AGE"]


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"SECRET_KEY": ""}, "SECRET_KEY"),
        ({"SECRET_KEY": "changethis"}, "SECRET_KEY"),
        ({"SECRET_KEY": "too-short"}, "SECRET_KEY"),
        ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS"),
    ],
)
def test_production_refuses_unsafe_settings(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], message: str
) -> None:
    with pytest.raises(ImproperlyConfigured, match=message):
        production(monkeypatch, **env)


@pytest.mark.parametrize("secret", [None, "", "changethis"])
def test_local_settings_sign_with_a_random_key_without_a_real_one(
    monkeypatch: pytest.MonkeyPatch, secret: str | None
) -> None:
    if secret is None:
        monkeypatch.delenv("SECRET_KEY", raising=False)
    else:
        monkeypatch.setenv("SECRET_KEY", secret)
    monkeypatch.delenv("DEBUG", raising=False)
    first = runpy.run_module("config.settings.local")
    second = runpy.run_module("config.settings.local")
    assert first["DEBUG"] is True
    assert first["SECRET_KEY_IS_RANDOM"] is True
    assert len(str(first["SECRET_KEY"])) >= 50
    assert first["SECRET_KEY"] != second["SECRET_KEY"]


def test_local_settings_keep_a_real_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SECRET_KEY", GOOD_SECRET)
    settings = runpy.run_module("config.settings.local")
    assert (settings["SECRET_KEY"], settings["SECRET_KEY_IS_RANDOM"]) == (GOOD_SECRET, False)


def test_cors_and_redis_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CORS_ORIGINS", "https://app.example.com")
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/0")
    with warnings.catch_warnings():
        # base is already imported (by the test settings); run_module re-runs a fresh copy.
        warnings.simplefilter("ignore", RuntimeWarning)
        settings = runpy.run_module("config.settings.base")
    assert settings["CORS_ALLOWED_ORIGINS"] == ["https://app.example.com"]
    assert "corsheaders" in settings["INSTALLED_APPS"]
    assert "RedisCache" in settings["CACHES"]["default"]["BACKEND"]


def test_environment_picks_the_settings_module(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("ENVIRONMENT=local\nSTARTER_TEST_VALUE=from-dotenv\n")
    monkeypatch.delenv("ENVIRONMENT", raising=False)
    monkeypatch.delenv("DJANGO_SETTINGS_MODULE", raising=False)
    monkeypatch.delenv("STARTER_TEST_VALUE", raising=False)
    assert environment.configure(env_file) == "config.settings.local"
    assert os.environ["STARTER_TEST_VALUE"] == "from-dotenv"
    monkeypatch.delenv("DJANGO_SETTINGS_MODULE")
    monkeypatch.setenv("ENVIRONMENT", "production")
    assert environment.configure(env_file) == "config.settings.production"
    monkeypatch.setenv("ENVIRONMENT", "staging")
    with pytest.raises(SystemExit, match="ENVIRONMENT"):
        environment.environment_name(env_file)


def test_a_configuration_error_becomes_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    from django.conf import settings

    monkeypatch.setattr(settings, "_wrapped", _Broken())
    with pytest.raises(SystemExit, match="Configuration error: broken"):
        environment.load_settings()


class _Broken:
    def __getattr__(self, name: str) -> object:
        raise ImproperlyConfigured("broken")


def test_entry_points_load() -> None:
    import config.asgi
    import config.wsgi

    assert callable(config.wsgi.application)
    assert callable(config.asgi.application)
