"""The model serving's settings (MODEL_DIR), read from the environment."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ..settings import PROJECT_DIR

DEFAULT_MODEL_DIR = PROJECT_DIR / "models"


@dataclass(frozen=True)
class MLSettings:
    # Where `train` writes versioned artifacts and the server finds the current one.
    model_dir: Path = DEFAULT_MODEL_DIR

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> MLSettings:
        raw = environ.get("MODEL_DIR", "").strip()
        # A relative MODEL_DIR means the project folder, wherever the command runs.
        return cls(model_dir=PROJECT_DIR / raw if raw else DEFAULT_MODEL_DIR)
