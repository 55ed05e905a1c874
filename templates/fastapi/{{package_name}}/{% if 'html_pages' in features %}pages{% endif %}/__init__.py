"""Server-rendered pages: the articles and the account lifecycle, in a session of their own."""

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from ..resources import Resources
from .routes import router
from .sessions import PageSessionMiddleware

STATIC_URL = "/static/pages"


def install(app: FastAPI, resources: Resources) -> None:
    settings = resources.settings
    app.include_router(router)
    static = StaticFiles(directory=Path(__file__).parent / "static")
    app.mount(STATIC_URL, static, name="pages:static")
    app.add_middleware(
        PageSessionMiddleware, secret_key=settings.secret_key, https_only=settings.is_production
    )
