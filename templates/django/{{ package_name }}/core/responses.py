"""JSON error bodies for answers given outside REST framework views."""

from __future__ import annotations

from typing import Any

import redis
from django.db import OperationalError
from django.http import JsonResponse

# A database or a Redis that cannot be reached, or did not answer in time: 503, not 500.
UNAVAILABLE_ERRORS = (OperationalError, redis.ConnectionError, redis.TimeoutError)
JSON_CONTENT_TYPE = "application/json; charset=utf-8"
MALFORMED_BODY = "Malformed request body"
SERVICE_UNAVAILABLE = "The database or the cache is unavailable; try again shortly"


def json_error(detail: Any, *, status: int) -> JsonResponse:
    return JsonResponse({"detail": detail}, status=status, content_type=JSON_CONTENT_TYPE)
