"""The model serving's settings block, mixed into the service's Settings."""

from __future__ import annotations

from pathlib import Path

from pydantic_settings import BaseSettings


class MLSettings(BaseSettings):
    # Where `train` writes versioned artifacts and the server finds the current one.
    model_dir: Path = Path("models")
