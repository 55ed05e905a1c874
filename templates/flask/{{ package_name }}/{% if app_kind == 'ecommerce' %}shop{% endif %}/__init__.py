"""The shop: products with stock, and orders that take it atomically."""

from __future__ import annotations

import importlib
import importlib.util

from flask import Flask


def init_app(app: Flask) -> None:
    from ..extensions import api
    from .routes import blp

    api.register_blueprint(blp)
    # The admin views exist only when the project has the admin.
    if importlib.util.find_spec(f"{__name__}.admin") is not None:
        importlib.import_module(f"{__name__}.admin").init_app(app)
