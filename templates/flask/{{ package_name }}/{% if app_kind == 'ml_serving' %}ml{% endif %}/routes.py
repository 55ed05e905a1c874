"""GET /api/model and POST /api/predict, and the model's part of readiness."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import numpy as np
from flask import Response, current_app
from flask_smorest import abort

from ..api import Blueprint
from ..json_provider import json_response
from .schemas import ModelPublic, PredictRequest, PredictResponse
from .store import LoadedModel

blp = Blueprint("model", __name__, url_prefix="/api", description="Model serving")
MISSING = "No model is loaded."
MISSING_DESCRIPTION = "No model is loaded: run make train and restart"
REQUIRED = "Missing data for required field."
UNKNOWN = "Unknown field."


class ModelMissing(Exception):
    """No model to answer with; the route answers 503."""


@blp.errorhandler(ModelMissing)
def _missing(_error: ModelMissing) -> Response:
    return json_response({"detail": MISSING}, status=503)


def readiness() -> tuple[str, str, bool]:
    """(field, value, ready) for /api/health/ready."""
    return ("model", "missing", False) if _loaded() is None else ("model", "ok", True)


def _loaded() -> LoadedModel | None:
    model: LoadedModel | None = current_app.extensions["model"]
    return model


def _model() -> LoadedModel:
    model = _loaded()
    if model is None:
        raise ModelMissing
    return model


@blp.route("/model")
@blp.doc(operationId="model_info")
@blp.response(200, ModelPublic)
@blp.alt_response(503, description=MISSING_DESCRIPTION)
def model_info() -> Response:
    """The loaded model: name, version, training time, feature names and held-out metrics."""
    return json_response(asdict(_model().metadata))


@blp.route("/predict", methods=["POST"])
@blp.doc(operationId="predict")
@blp.arguments(PredictRequest)
@blp.response(200, PredictResponse)
@blp.alt_response(503, description=MISSING_DESCRIPTION)
def predict(body: dict[str, Any]) -> Response:
    """One prediction per instance, in order; every instance has exactly the model's features."""
    model = _model()
    rows = _rows(body["instances"], model.metadata.features)
    # One call for the whole batch: NumPy does the work outside Python's per-row loop.
    predictions = model.estimator.predict(rows)
    return json_response(
        {"predictions": predictions.tolist(), "model_version": model.metadata.version}
    )


def _rows(instances: list[dict[str, float]], features: list[str]) -> np.ndarray:
    errors = {
        index: problems
        for index, row in enumerate(instances)
        if (problems := _row_errors(row, features))
    }
    if errors:
        abort(422, messages={"json": {"instances": errors}})
    return np.array([[row[name] for name in features] for row in instances], dtype=np.float64)


def _row_errors(row: dict[str, float], features: list[str]) -> dict[str, list[str]]:
    missing = {name: [REQUIRED] for name in features if name not in row}
    unknown = {name: [UNKNOWN] for name in row if name not in features}
    return {**missing, **unknown}
