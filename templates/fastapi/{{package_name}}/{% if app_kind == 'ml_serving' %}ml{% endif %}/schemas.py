from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field

# Strict: "1.5" or true is not a measurement; NaN and infinity are refused too.
Measurement = Annotated[float, Field(strict=True, allow_inf_nan=False)]
MAX_INSTANCES = 1000


class PredictRequest(BaseModel):
    instances: list[dict[str, Measurement]] = Field(min_length=1, max_length=MAX_INSTANCES)


class PredictResponse(BaseModel):
    predictions: list[str | float | int]
    model_version: str


class ModelPublic(BaseModel):
    name: str
    version: str
    trained_at: str
    features: list[str]
    metrics: dict[str, float]
