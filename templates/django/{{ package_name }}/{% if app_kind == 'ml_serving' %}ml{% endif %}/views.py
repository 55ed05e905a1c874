"""GET /api/model and POST /api/predict: parse, predict, answer."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ..core.exceptions import RequestValidationError, validated
from ..core.schema import error_responses
from .serializers import ModelPublic, PredictRequest, PredictResponse
from .services import predict, served_model
from .store import LoadedModel

MISSING = {503: OpenApiResponse(description="No model is loaded: run make train and restart")}


class NoModel(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "No model is loaded."
    default_code = "no_model"


def current_model() -> LoadedModel:
    model = served_model.get()
    if model is None:
        raise NoModel()
    return model


class ModelView(APIView):
    authentication_classes = ()

    @extend_schema(
        summary="The loaded model", responses={200: ModelPublic, **MISSING}, tags=["model"]
    )
    def get(self, request: Request) -> Response:
        """Name, version, training time, feature names and held-out metrics."""
        return Response(asdict(current_model().metadata))


class PredictView(APIView):
    authentication_classes = ()

    @extend_schema(
        summary="Predict a batch",
        request=PredictRequest,
        responses={200: PredictResponse, **error_responses(400, 413, 422), **MISSING},
        tags=["model"],
    )
    def post(self, request: Request) -> Response:
        """One prediction per instance, in order; each instance has exactly the model's features."""
        model = current_model()
        instances = validated(PredictRequest(data=request.data))["instances"]
        features = model.metadata.features
        check_features(instances, features)
        rows = [[row[name] for name in features] for row in instances]
        return Response(
            {"predictions": predict(model, rows), "model_version": model.metadata.version}
        )


def check_features(instances: list[dict[str, float]], features: list[str]) -> None:
    """422 naming the row and the feature for each missing or unknown one."""
    errors: dict[int, dict[str, list[exceptions.ErrorDetail]]] = {}
    for index, row in enumerate(instances):
        problems = {
            name: [exceptions.ErrorDetail("This field is required.", code="required")]
            for name in features
            if name not in row
        }
        problems |= {
            name: [exceptions.ErrorDetail("Unknown feature.", code="unknown")]
            for name in row
            if name not in features
        }
        if problems:
            errors[index] = problems
    if errors:
        detail: dict[str, Any] = {"instances": errors}
        raise RequestValidationError(detail)
