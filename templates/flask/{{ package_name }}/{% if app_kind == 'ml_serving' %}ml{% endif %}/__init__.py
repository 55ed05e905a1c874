"""Model serving: `train` fits a model into MODEL_DIR, the server loads it once and predicts.

The model is loaded here, in the application factory: with gunicorn's preload the master
loads it once and every worker process forks with it in memory; no request loads it.
"""

from __future__ import annotations

import logging
import os

import click
from flask import Flask

from .routes import blp, readiness
from .settings import MLSettings
from .store import LoadedModel, ModelMissingError, load

__all__ = ["init_app"]

logger = logging.getLogger(__name__)


def init_app(app: Flask) -> None:
    from ..extensions import api
    from .commands import train

    ml_settings = MLSettings.from_environ(os.environ)
    app.extensions["ml_settings"] = ml_settings
    app.extensions["model"] = None if _command_line_task() else _loaded(ml_settings)
    app.extensions.setdefault("readiness_checks", []).append(readiness)
    api.register_blueprint(blp)
    app.cli.add_command(train)


def _loaded(ml_settings: MLSettings) -> LoadedModel | None:
    """The current artifact; without one the server still starts, not ready."""
    try:
        return load(ml_settings.model_dir)
    except ModelMissingError as error:
        logger.warning("model serving: %s", error)
        return None


def _command_line_task() -> bool:
    """A flask command other than `run` (train, db, demo...) serves no predictions."""
    context = click.get_current_context(silent=True)
    return context is not None and context.command.name != "run"
