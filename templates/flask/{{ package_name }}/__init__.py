"""The application factory: create_app(settings=None) builds a configured Flask app."""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import logging
from collections.abc import Callable
from typing import Any

import click
from flask import Flask

from . import cli, migrate
from .body_limit import ChunkedBodyLimit
from .json_provider import OrjsonProvider
from .proxies import TrustedProxies
from .settings import Settings, SettingsError, warn_when_serving

__all__ = ["create_app"]

MAX_CONTENT_LENGTH = 1024 * 1024
# Features that exist only when the project was generated with them.
OPTIONAL_MODULES = ("admin", "pages", "live", "shop", "ml", "jobs", "observability")


def create_app(settings: Settings | None = None) -> Flask:
    settings = settings or _settings_from_environment()
    _configure_logging(settings)
    if _serving_in_development():
        from .databases import require_database

        require_database(settings)
        warn_when_serving(settings)
    app = App(__name__)
    app.json = OrjsonProvider(app)
    app.config.from_mapping(_flask_config(settings))
    app.extensions["settings"] = settings
    _init_extensions(app, settings)
    _register_blueprints(app)
    _register_optional_modules(app)
    cli.init_app(app)
    migrate.init_app(app)
    app.wsgi_app = ChunkedBodyLimit(app.wsgi_app, MAX_CONTENT_LENGTH)  # type: ignore[method-assign]
    if settings.trusted_proxies:
        app.wsgi_app = TrustedProxies(app.wsgi_app, settings.trusted_proxies)  # type: ignore[method-assign]
    return app


class App(Flask):
    """Flask, remembering which functions are coroutines.

    flask-smorest asks ensure_sync of every decorator layer on every request, and
    inspect's answer is not free; functions do not change kind.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._coroutine_functions: dict[object, bool] = {}

    def ensure_sync(self, func: Callable[..., Any]) -> Callable[..., Any]:
        key = getattr(func, "__func__", func)  # a view's bound method: a new object per request
        is_coroutine = self._coroutine_functions.get(key)
        if is_coroutine is None:
            is_coroutine = self._coroutine_functions[key] = inspect.iscoroutinefunction(func)
        return self.async_to_sync(func) if is_coroutine else func


def _settings_from_environment() -> Settings:
    try:
        return Settings.from_environ()
    except SettingsError as error:
        # One clear line for the operator instead of a traceback.
        raise SystemExit(error.line()) from None


def _serving_in_development() -> bool:
    """The development server (flask run) stops at once rather than on the first request."""
    context = click.get_current_context(silent=True)
    return context is not None and context.command.name == "run"


def _flask_config(settings: Settings) -> dict[str, Any]:
    from .db import engine_options
    from .docs import openapi_config

    return {
        "SECRET_KEY": settings.secret_key,
        "DEBUG": settings.debug,
        "TESTING": settings.environment == "test",
        "MAX_CONTENT_LENGTH": MAX_CONTENT_LENGTH,
        "TRUSTED_HOSTS": list(settings.allowed_hosts) or None,
        "SESSION_COOKIE_SECURE": settings.is_production,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "PREFERRED_URL_SCHEME": "https" if settings.is_production else "http",
        "SQLALCHEMY_DATABASE_URI": settings.sqlalchemy_url,
        "SQLALCHEMY_ENGINE_OPTIONS": engine_options(settings),
        "SQLALCHEMY_ECHO": settings.sql_echo,
        "ACCESS_TOKEN_EXPIRE_MINUTES": settings.access_token_expire_minutes,
        "WTF_CSRF_ENABLED": settings.environment != "test",
        **openapi_config(),
    }


def _init_extensions(app: Flask, settings: Settings) -> None:
    from . import mail, security
    from .api import register_error_handlers
    from .db import configure_engine
    from .docs import OAUTH2_PASSWORD_SCHEME
    from .extensions import api, db
    from .users import passwords
    from .users.routes import AUTH_TAG
    from .users.throttle import LoginThrottle, counter_for, redis_errors

    db.init_app(app)
    with app.app_context():
        configure_engine(db.engine, settings)
    counter = counter_for(settings.redis_url)
    for name in ("login", "reset", "verification"):
        app.extensions[f"{name}_throttle"] = LoginThrottle(
            counter,
            attempts=settings.login_attempts,
            window_seconds=settings.login_window_seconds,
            prefix=f"{name}-attempts",
        )
    passwords.init_app(app, settings.password_hashing)
    mail.init_app(app, settings)
    api.init_app(app)
    api.spec.components.security_scheme("OAuth2PasswordBearer", OAUTH2_PASSWORD_SCHEME)
    api.spec.tag(AUTH_TAG)
    register_error_handlers(app, redis_errors(settings.redis_url))
    security.init_app(app, settings)


def _register_blueprints(app: Flask) -> None:
    from .articles.routes import blp as articles
    from .docs import blp as docs_assets
    from .extensions import api
    from .health.routes import blp as health
    from .users.routes import blp as users

    for blueprint in (health, users, articles):
        api.register_blueprint(blueprint)
    app.register_blueprint(docs_assets)


def _register_optional_modules(app: Flask) -> None:
    for name in OPTIONAL_MODULES:
        if importlib.util.find_spec(f"{__name__}.{name}") is not None:
            importlib.import_module(f"{__name__}.{name}").init_app(app)


def _configure_logging(settings: Settings) -> None:
    logging.basicConfig(
        level=settings.log_level.upper(),
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
    )
    # Alembic reports its plugins at INFO on every command; migrations set their own level.
    logging.getLogger("alembic").setLevel(
        logging.DEBUG if settings.log_level == "debug" else logging.WARNING
    )
