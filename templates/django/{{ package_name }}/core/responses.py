"""JSON error bodies for answers given outside REST framework views."""

from __future__ import annotations

from typing import Any

from django.http import JsonResponse

JSON_CONTENT_TYPE = "application/json; charset=utf-8"
MALFORMED_BODY = "Malformed request body"
DATABASE_UNAVAILABLE = "The database is unavailable; try again shortly"


def json_error(detail: Any, *, status: int) -> JsonResponse:
    return JsonResponse({"detail": detail}, status=status, content_type=JSON_CONTENT_TYPE)
