"""JSON through orjson: several times faster than the standard library per response."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import orjson
from flask import Response
from flask.json.provider import JSONProvider


def _fallback(value: object) -> object:
    if isinstance(value, Decimal):
        return str(value)
    html = getattr(value, "__html__", None)
    if callable(html):
        return str(html())
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def json_response(body: object, status: int = 200) -> Response:
    """`body` as JSON straight from orjson's bytes, for views that skip a schema's dump."""
    data = orjson.dumps(body, default=_fallback, option=orjson.OPT_NON_STR_KEYS)
    return Response(data, status=status, mimetype="application/json")


class OrjsonProvider(JSONProvider):
    def dumps(self, obj: Any, **kwargs: Any) -> str:
        return orjson.dumps(obj, default=_fallback, option=orjson.OPT_NON_STR_KEYS).decode()

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return orjson.loads(s)
