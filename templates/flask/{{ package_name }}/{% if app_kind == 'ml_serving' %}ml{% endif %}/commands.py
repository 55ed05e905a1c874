"""flask --app <package> train: fit the model into MODEL_DIR as its new current version."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from .settings import MLSettings


@click.command()
@with_appcontext
def train() -> None:
    """Fit the model and make it MODEL_DIR's current version (restart to serve it)."""
    from .training import train as train_model  # scikit-learn's training code: this command only

    ml_settings: MLSettings = current_app.extensions["ml_settings"]
    metadata = train_model(ml_settings.model_dir)
    metrics = ", ".join(f"{name} {value}" for name, value in metadata.metrics.items())
    click.echo(
        f"Trained {metadata.name} {metadata.version} ({metrics}) in {ml_settings.model_dir}."
    )
