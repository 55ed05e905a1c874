"""Model serving: `train` fits a model into MODEL_DIR, the server loads it once and predicts.

Only the settings block is imported with the package: settings.py mixes it in, so the
rest (which needs scikit-learn and the settings) is imported when the application installs it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fastapi import FastAPI

    from ..resources import Resources

__all__ = ["install"]


def install(app: FastAPI, resources: Resources) -> None:
    from .routes import loaded_model, readiness, router

    app.state.model = None
    app.state.lifespan_parts.append(lambda: loaded_model(app, resources.settings.model_dir))
    app.state.readiness_checks.append(lambda: readiness(app))
    app.include_router(router, prefix="/api")
