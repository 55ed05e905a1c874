"""The shop: products with stock, and orders that take it atomically."""

from __future__ import annotations

import importlib
import importlib.util
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fastapi import FastAPI

    from ..resources import Resources

__all__ = ["install"]


def install(app: FastAPI, resources: Resources) -> None:
    from .routes import router

    app.include_router(router, prefix="/api")
    # The admin views exist only when the project has the admin.
    if importlib.util.find_spec(f"{__name__}.admin") is not None:
        importlib.import_module(f"{__name__}.admin").install(app, resources)
