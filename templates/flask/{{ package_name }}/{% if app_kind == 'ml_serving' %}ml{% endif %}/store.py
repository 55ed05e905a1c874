"""Versioned model artifacts: MODEL_DIR/<version>/{model.joblib, metadata.json} and `current`.

`current` names the version the server loads; it is replaced by a rename, so a server
starting while `train` runs reads either the old version or the new one, never half.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import joblib

MODEL_FILE = "model.joblib"
METADATA_FILE = "metadata.json"
CURRENT_FILE = "current"


class ModelMissingError(Exception):
    """No usable artifact under MODEL_DIR; the message says what to run."""


@dataclass(frozen=True)
class Metadata:
    name: str
    version: str
    trained_at: str
    features: list[str]
    metrics: dict[str, float]


@dataclass(frozen=True)
class LoadedModel:
    metadata: Metadata
    estimator: Any


def save(model_dir: Path, estimator: Any, metadata: Metadata) -> Path:
    """Write the artifact's directory, then point `current` at it."""
    version_dir = model_dir / metadata.version
    version_dir.mkdir(parents=True, exist_ok=False)
    joblib.dump(estimator, version_dir / MODEL_FILE)
    (version_dir / METADATA_FILE).write_text(json.dumps(asdict(metadata), indent=2) + "\n")
    _write_atomically(model_dir / CURRENT_FILE, metadata.version + "\n")
    return version_dir


def load(model_dir: Path) -> LoadedModel:
    current = model_dir / CURRENT_FILE
    if not current.is_file():
        raise ModelMissingError(f"no model in {model_dir}: run make train")
    version_dir = model_dir / current.read_text().strip()
    try:
        metadata = Metadata(**json.loads((version_dir / METADATA_FILE).read_text()))
        # Artifacts are only ever written by `train` into this project's own MODEL_DIR.
        estimator = joblib.load(version_dir / MODEL_FILE)
    except (OSError, ValueError, TypeError) as error:
        raise ModelMissingError(f"the model in {version_dir} is unusable: {error}") from None
    return LoadedModel(metadata=metadata, estimator=estimator)


def _write_atomically(path: Path, text: str) -> None:
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(descriptor, "w") as file:
        file.write(text)
    Path(temporary).replace(path)
