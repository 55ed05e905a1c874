from __future__ import annotations

import math
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate

MAX_INSTANCES = 1000
NOT_A_NUMBER = "Not a valid number."
NOT_FINITE = "Must be a finite number (not NaN or infinity)."


class Instance(fields.Field[dict[str, float]]):
    """One row: feature names to JSON numbers ("1.5", true and null are not measurements).

    Errors are keyed by the feature, so their `loc` ends with its name. Which features a
    row must have is the loaded model's to say (routes.py).
    """

    def _deserialize(
        self, value: Any, attr: str | None, data: Any, **kwargs: Any
    ) -> dict[str, float]:
        if not isinstance(value, dict):
            raise ValidationError("Must be an object of feature names to numbers.")
        errors = {name: [message] for name, item in value.items() if (message := _problem(item))}
        if errors:
            raise ValidationError(errors)
        return {str(name): float(item) for name, item in value.items()}


def _problem(value: object) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return NOT_A_NUMBER
    if isinstance(value, float) and not math.isfinite(value):
        return NOT_FINITE
    return None


class PredictRequest(Schema):
    instances = fields.List(
        Instance(),
        required=True,
        validate=validate.Length(min=1, max=MAX_INSTANCES),
        metadata={"description": f"1 to {MAX_INSTANCES} rows, each with exactly the features"},
    )


class PredictResponse(Schema):
    predictions = fields.List(fields.Raw(), required=True)
    model_version = fields.String(required=True)


class ModelPublic(Schema):
    name = fields.String(required=True)
    version = fields.String(required=True)
    trained_at = fields.String(required=True)
    features = fields.List(fields.String(), required=True)
    metrics = fields.Dict(keys=fields.String(), values=fields.Float(), required=True)
