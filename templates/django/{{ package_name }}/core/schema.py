"""The error answers, described once for the OpenAPI document; plain views described too."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.views import APIView

ViewFunction = TypeVar("ViewFunction", bound=Callable[..., object])

DESCRIPTIONS = {
    400: "Malformed request body; or a bad, used or expired token; or a wrong password",
    401: "Missing, invalid or expired token (WWW-Authenticate: Bearer)",
    403: "Not allowed for this user",
    404: "Not found",
    409: "Conflicts with existing data",
    413: "Request body over 1 MiB",
    422: "Invalid input: one item per problem",
    429: "Too many attempts (see Retry-After)",
}


class Error(serializers.Serializer[None]):
    detail = serializers.CharField()


class ValidationIssue(serializers.Serializer[None]):
    loc = serializers.ListField(child=serializers.CharField())
    msg = serializers.CharField()
    type = serializers.CharField()


class ValidationErrors(serializers.Serializer[None]):
    detail = ValidationIssue(many=True)


def error_responses(*codes: int) -> dict[int, OpenApiResponse]:
    """OpenAPI responses for the given error status codes."""
    return {
        code: OpenApiResponse(
            ValidationErrors if code == 422 else Error, description=DESCRIPTIONS[code]
        )
        for code in codes
    }


def documented_as(view_class: type[APIView]) -> Callable[[ViewFunction], ViewFunction]:
    """Document a plain Django view in the OpenAPI document as `view_class` describes it.

    The schema generator lists REST framework views only, which it recognises by the
    `cls` that APIView.as_view() sets on the function it returns.
    """

    def describe(view: ViewFunction) -> ViewFunction:
        setattr(view, "cls", view_class)  # noqa: B010  (attributes a function does not declare)
        setattr(view, "initkwargs", {})  # noqa: B010
        return view

    return describe
