"""Fit the example model: iris species from four measurements (the data ships with scikit-learn)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler

from .store import Metadata, save

MODEL_NAME = "iris-species"
FEATURES = ["sepal_length", "sepal_width", "petal_length", "petal_width"]
HELD_OUT_FRACTION = 0.25
SEED = 0


def train(model_dir: Path) -> Metadata:
    """Fit, score on a held-out split, and save a new version as the current one."""
    iris = load_iris()
    labels = iris.target_names[iris.target]
    x_train, x_test, y_train, y_test = train_test_split(
        iris.data, labels, test_size=HELD_OUT_FRACTION, random_state=SEED, stratify=labels
    )
    pipeline = _pipeline().fit(x_train, y_train)
    trained_at = datetime.now(UTC)
    metadata = Metadata(
        name=MODEL_NAME,
        version=trained_at.strftime("%Y%m%dT%H%M%S%fZ"),
        trained_at=trained_at.isoformat(),
        features=FEATURES,
        metrics={"accuracy": round(float(pipeline.score(x_test, y_test)), 4)},
    )
    save(model_dir, pipeline, metadata)
    return metadata


def _pipeline() -> Pipeline:
    return make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
