"""One error format for the whole API: a JSON object with `detail`.

Validation errors become 422 with `detail` a list of {"loc", "msg", "type"};
anything unexpected becomes a bare 500, logged with its traceback, never shown.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.fields import Field, SkipField, empty
from rest_framework.response import Response
from rest_framework.serializers import Serializer
from rest_framework.views import set_rollback

from .responses import MALFORMED_BODY, SERVICE_UNAVAILABLE, unavailable_errors

logger = logging.getLogger(__name__)

Location = tuple[str | int, ...]


class RequestValidationError(exceptions.ValidationError):
    """Invalid input found in one part of the request: `body` or `query`."""

    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY

    def __init__(self, detail: Any, *, location: str = "body") -> None:
        super().__init__(detail)
        self.location = location


def error_items(detail: Any, location: Location) -> list[dict[str, Any]]:
    """Flatten DRF's nested error details into a list of {"loc", "msg", "type"}."""
    if isinstance(detail, Mapping):
        items = []
        for field, nested in detail.items():
            loc = location if field == "non_field_errors" else (*location, field)
            items += error_items(nested, loc)
        return items
    if isinstance(detail, Sequence) and not isinstance(detail, str):
        items = []
        for index, nested in enumerate(detail):
            loc = (*location, index) if isinstance(nested, Mapping) else location
            items += error_items(nested, loc)
        return items
    code = getattr(detail, "code", None) or "invalid"
    return [{"loc": list(location), "msg": str(detail), "type": str(code)}]


def validation_response(error: exceptions.ValidationError) -> Response:
    location = getattr(error, "location", "body")
    items = error_items(error.detail, (location,))
    return Response({"detail": items}, status=status.HTTP_422_UNPROCESSABLE_ENTITY)


def api_exception_response(error: exceptions.APIException) -> Response:
    headers = {}
    if auth_header := getattr(error, "auth_header", None):
        headers["WWW-Authenticate"] = auth_header
    if wait := getattr(error, "wait", None):
        headers["Retry-After"] = str(int(wait))
    detail = error.detail if isinstance(error.detail, str) else str(error.detail)
    return Response({"detail": detail}, status=error.status_code, headers=headers)


def as_api_exception(error: Exception) -> Exception:
    """Django's own exceptions, seen as the REST framework ones they correspond to."""
    if isinstance(error, Http404):
        return exceptions.NotFound()
    if isinstance(error, PermissionDenied):
        return exceptions.PermissionDenied()
    if isinstance(error, RequestDataTooBig):
        return PayloadTooLarge()
    if isinstance(error, exceptions.ParseError):
        return exceptions.ParseError(MALFORMED_BODY)
    if isinstance(error, unavailable_errors()):
        logger.warning("Unavailable: %s", error)
        return ServiceUnavailable()
    return error


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "Request body too large"
    default_code = "payload_too_large"


class ServiceUnavailable(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = SERVICE_UNAVAILABLE
    default_code = "service_unavailable"
    wait = 5


def exception_handler(error: Exception, context: Mapping[str, Any]) -> Response:
    """REST framework's EXCEPTION_HANDLER."""
    set_rollback()
    error = as_api_exception(error)
    if isinstance(error, exceptions.ValidationError):
        return validation_response(error)
    if isinstance(error, exceptions.APIException):
        return api_exception_response(error)
    logger.exception("Unhandled error in %s", context.get("view"), exc_info=error)
    return Response(
        {"detail": "Internal Server Error"}, status=status.HTTP_500_INTERNAL_SERVER_ERROR
    )


def validated(serializer: Serializer[Any], *, location: str = "body") -> dict[str, Any]:
    """The serializer's validated data, or a 422 that says where the input was wrong."""
    if not serializer.is_valid():
        raise RequestValidationError(serializer.errors, location=location)
    data: dict[str, Any] = serializer.validated_data
    return data


def validated_query(
    serializer_class: type[Serializer[Any]], params: Mapping[str, Any]
) -> dict[str, Any]:
    """`validated(serializer_class(data=params), location="query")`, without a serializer per call.

    Building a serializer deep-copies its fields; a query's fields keep no state
    while they validate, so one bound set of them serves every request.
    """
    data: dict[str, Any] = {}
    errors: dict[str, Any] = {}
    for name, field in bound_fields(serializer_class).items():
        try:
            data[name] = field.run_validation(params.get(name, empty))
        except SkipField:
            continue
        except exceptions.ValidationError as error:
            errors[name] = error.detail
    if errors:
        raise RequestValidationError(errors, location="query")
    return data


@functools.cache
def bound_fields(
    serializer_class: type[Serializer[Any]],
) -> Mapping[str, Field[Any, Any, Any, Any]]:
    return serializer_class().fields
