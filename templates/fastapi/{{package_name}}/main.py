"""The application factory. Nothing is built at import time:

uvicorn --factory PACKAGE.main:create_app          (development)
gunicorn -c gunicorn.conf.py "PACKAGE.main:create_app()"   (production)
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from . import __title__, __version__
from .articles.routes import router as articles_router
from .docs import OPENAPI_URL, install_docs
from .health.routes import router as health_router
from .middleware import (
    AllowedHostsMiddleware,
    BodySizeLimitMiddleware,
    HTTPSRedirectMiddleware,
    SecurityHeadersMiddleware,
)
from .resources import Resources
from .settings import Settings, load_settings
from .users.routes import router as users_router

logger = logging.getLogger(__name__)

# What a hung, stopped or unreachable database raises (timeouts included): 503, not 500.
DATABASE_UNAVAILABLE: tuple[type[Exception], ...] = (
    OperationalError,
    InterfaceError,
    PoolTimeoutError,
    TimeoutError,
    ConnectionError,
)
API_PREFIX = "/api"
# Modules that a project may leave out; each has install(app, resources).
OPTIONAL_FEATURES = ("admin", "pages", "live", "ml", "shop", "jobs", "observability")


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or load_settings()
    logging.getLogger(__package__).setLevel(settings.log_level.upper())
    app = FastAPI(
        title=__title__,
        version=__version__,
        openapi_url=OPENAPI_URL,
        docs_url=None,
        redoc_url=None,
        lifespan=_lifespan,
    )
    resources = Resources.from_settings(settings)
    app.state.resources = resources
    # What optional features run for as long as the application does (async context managers).
    app.state.lifespan_parts = []
    # What else readiness reports: callables answering (field, value, ready).
    app.state.readiness_checks = []
    if settings.random_secret_key:
        logger.warning(
            "SECRET_KEY is not set: signing with a random key for this process only "
            "(tokens and sessions end when it stops)"
        )
    if not settings.redis_url:
        logger.warning(
            "login throttle: no REDIS_URL, so failed logins are counted per process; "
            "with several workers the limit is per worker"
        )
    _include_api_routers(app)
    app.add_exception_handler(RequestValidationError, _validation_error)
    for error in DATABASE_UNAVAILABLE:
        app.add_exception_handler(error, _database_unavailable)
    if settings.redis_url:
        for error in redis_unavailable_errors():
            app.add_exception_handler(error, _redis_unavailable)
    install_docs(app)
    _install_optional_features(app, resources)
    _install_middleware(app, settings)
    return app


def redis_unavailable_errors() -> tuple[type[Exception], ...]:
    """What an unreachable Redis (REDIS_URL, the login throttle) raises; redis-py's own classes.

    Imported only when REDIS_URL is set: without it no worker process loads the Redis client.
    """
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError

    return (RedisConnectionError, RedisTimeoutError)


def _include_api_routers(app: FastAPI) -> None:
    # Each under /api on the application itself, not through an /api router: every level of
    # included routers is matched again on each request. The busiest first: a request is
    # matched against the routes in turn, and against those of its router a second time.
    for router in (health_router, articles_router, users_router):
        app.include_router(router, prefix=API_PREFIX)


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    async with AsyncExitStack() as parts:
        for part in app.state.lifespan_parts:
            await parts.enter_async_context(part())
        yield
    resources: Resources = app.state.resources
    await resources.close()


async def _validation_error(_request: Request, error: Exception) -> JSONResponse:
    # Only where and what: echoing the input back could reveal a password.
    assert isinstance(error, RequestValidationError)
    detail = [
        {"loc": list(issue["loc"]), "msg": issue["msg"], "type": issue["type"]}
        for issue in error.errors()
    ]
    return JSONResponse({"detail": detail}, status_code=422)


async def _database_unavailable(_request: Request, error: Exception) -> JSONResponse:
    logger.warning("database unavailable: %s", type(error).__name__)
    detail = "The database is not answering; try again shortly."
    return JSONResponse({"detail": detail}, status_code=503, headers={"Retry-After": "5"})


async def _redis_unavailable(_request: Request, error: Exception) -> JSONResponse:
    logger.warning("redis unavailable: %s", type(error).__name__)
    detail = "The login throttle's store is not answering; try again shortly."
    return JSONResponse({"detail": detail}, status_code=503, headers={"Retry-After": "5"})


def _install_optional_features(app: FastAPI, resources: Resources) -> None:
    for name in OPTIONAL_FEATURES:
        module_name = f"{__package__}.{name}"
        if importlib.util.find_spec(module_name) is not None:
            importlib.import_module(module_name).install(app, resources)


def _install_middleware(app: FastAPI, settings: Settings) -> None:
    # Added innermost first: each add_middleware call wraps the ones before it.
    app.add_middleware(BodySizeLimitMiddleware, max_body_size=settings.max_body_size)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["*"],
            allow_headers=["*"],
            expose_headers=["Location", "Retry-After", "X-Request-ID"],
        )
    if settings.allowed_hosts:
        app.add_middleware(AllowedHostsMiddleware, allowed_hosts=settings.allowed_hosts)
    if settings.redirects_to_https:
        app.add_middleware(HTTPSRedirectMiddleware)
    if settings.trusted_proxies:
        # Client address and scheme from X-Forwarded-For/-Proto, when a trusted proxy sent them.
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.trusted_proxies)
    app.add_middleware(SecurityHeadersMiddleware, hsts=settings.is_production)
