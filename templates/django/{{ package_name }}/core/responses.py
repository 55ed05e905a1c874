"""JSON error bodies for answers given outside REST framework views."""

from __future__ import annotations

import sys
from typing import Any

from django.db import OperationalError
from django.http import JsonResponse

JSON_CONTENT_TYPE = "application/json; charset=utf-8"
MALFORMED_BODY = "Malformed request body"
SERVICE_UNAVAILABLE = "The database or the cache is unavailable; try again shortly"


def json_error(detail: Any, *, status: int) -> JsonResponse:
    return JsonResponse({"detail": detail}, status=status, content_type=JSON_CONTENT_TYPE)


def method_not_allowed(method: str, allowed: tuple[str, ...]) -> JsonResponse:
    """405 as REST framework words it, for the plain views."""
    response = json_error(f'Method "{method}" not allowed.', status=405)
    response["Allow"] = ", ".join(allowed)
    return response


def unavailable_errors() -> tuple[type[Exception], ...]:
    """A database or a Redis that cannot be reached, or did not answer in time: 503, not 500.

    Redis counts once something imported it (the cache does, when REDIS_URL is set):
    importing it only to name its errors would cost every worker about 18 MB.
    """
    redis = sys.modules.get("redis")
    if redis is None:
        return (OperationalError,)
    return (OperationalError, redis.ConnectionError, redis.TimeoutError)
