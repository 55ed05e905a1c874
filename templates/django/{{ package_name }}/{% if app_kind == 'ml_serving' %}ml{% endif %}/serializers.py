"""What goes in and out of /api/model and /api/predict."""

from __future__ import annotations

import math
from typing import Any

from rest_framework import serializers

MAX_INSTANCES = 1000


class MeasurementField(serializers.FloatField):
    """A finite JSON number: "1.5", true, NaN and infinity are errors, not measurements."""

    def to_internal_value(self, data: Any) -> float:
        if isinstance(data, bool) or not isinstance(data, int | float):
            self.fail("invalid")
        try:
            value = float(data)
        except OverflowError:
            self.fail("invalid")
        if not math.isfinite(value):
            self.fail("invalid")
        return value


class PredictRequest(serializers.Serializer[None]):
    instances = serializers.ListField(
        child=serializers.DictField(child=MeasurementField()),
        min_length=1,
        max_length=MAX_INSTANCES,
    )


class PredictResponse(serializers.Serializer[None]):
    predictions = serializers.ListField(child=serializers.JSONField())
    model_version = serializers.CharField()


class ModelPublic(serializers.Serializer[None]):
    name = serializers.CharField()
    version = serializers.CharField()
    trained_at = serializers.CharField()
    features = serializers.ListField(child=serializers.CharField())
    metrics = serializers.DictField(child=serializers.FloatField())
