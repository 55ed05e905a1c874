"""Server-rendered pages: the published articles, readable without JavaScript."""

from fastapi import FastAPI

from ..resources import Resources
from .routes import router


def install(app: FastAPI, _resources: Resources) -> None:
    app.include_router(router)
