"""GET /api/model and POST /api/predict, and the model's part of the lifespan and readiness."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np
from fastapi import APIRouter, FastAPI, HTTPException, Request, status
from fastapi.exceptions import RequestValidationError
from starlette.concurrency import run_in_threadpool

from .schemas import Measurement, ModelPublic, PredictRequest, PredictResponse
from .store import LoadedModel, ModelMissingError, load

logger = logging.getLogger(__name__)

router = APIRouter(tags=["model"])

MISSING: dict[int | str, dict[str, Any]] = {
    503: {"description": "No model is loaded: run make train and restart"}
}


@asynccontextmanager
async def loaded_model(app: FastAPI, model_dir: Path) -> AsyncIterator[None]:
    """Load the current artifact once; without one the server still starts, not ready."""
    try:
        app.state.model = await run_in_threadpool(load, model_dir)
    except ModelMissingError as error:
        logger.warning("model serving: %s", error)
    yield


def readiness(app: FastAPI) -> tuple[str, str, bool]:
    return ("model", "missing", False) if app.state.model is None else ("model", "ok", True)


def _model(request: Request) -> LoadedModel:
    model: LoadedModel | None = request.app.state.model
    if model is None:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, "No model is loaded.")
    return model


@router.get("/model", summary="The loaded model", response_model=ModelPublic, responses=MISSING)
async def model_info(request: Request) -> ModelPublic:
    """Name, version, training time, feature names and held-out metrics."""
    return ModelPublic(**asdict(_model(request).metadata))


@router.post(
    "/predict", summary="Predict a batch", response_model=PredictResponse, responses=MISSING
)
async def predict(body: PredictRequest, request: Request) -> PredictResponse:
    """One prediction per instance, in order; every instance has exactly the model's features."""
    model = _model(request)
    rows = _rows(body.instances, model.metadata.features)
    # One batch per call, off the event loop: the other requests keep being served.
    predictions = await run_in_threadpool(model.estimator.predict, rows)
    return PredictResponse(predictions=predictions.tolist(), model_version=model.metadata.version)


def _rows(instances: list[dict[str, Measurement]], features: list[str]) -> np.ndarray:
    errors = [
        error for index, row in enumerate(instances) for error in _row_errors(index, row, features)
    ]
    if errors:
        raise RequestValidationError(errors)
    return np.array([[row[name] for name in features] for row in instances], dtype=np.float64)


def _row_errors(index: int, row: dict[str, float], features: list[str]) -> list[dict[str, object]]:
    loc: tuple[object, ...] = ("body", "instances", index)
    missing: list[dict[str, object]] = [
        {"loc": (*loc, name), "msg": "Field required", "type": "missing"}
        for name in features
        if name not in row
    ]
    extra: list[dict[str, object]] = [
        {"loc": (*loc, name), "msg": "Extra inputs are not permitted", "type": "extra_forbidden"}
        for name in row
        if name not in features
    ]
    return missing + extra
