"""JSON request bodies parsed with limits, so hostile input is a 422 and never a 500.

FastAPI turns a json.JSONDecodeError into a 422 whose loc starts with "body"; every limit
below raises one (the stock parser's RecursionError or int-size ValueError would be a 400).
Routers use `route_class=LimitedJSONRoute`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Coroutine
from typing import Any

from fastapi.routing import APIRoute
from starlette.requests import Request
from starlette.responses import Response

MAX_DEPTH = 64


def parse_json(body: bytes) -> Any:
    """json.loads, and at most 64 levels of nesting.

    Integers over 4,300 digits already fail in json.loads (Python's int limit). Text fields
    refuse NUL and lone surrogates themselves (fields.Text), so the error names the field.
    """
    try:
        value = json.loads(body)
    except json.JSONDecodeError:
        raise
    except RecursionError:
        raise json.JSONDecodeError(f"Nested deeper than {MAX_DEPTH} levels", "", 0) from None
    except ValueError as error:  # not UTF-8, or an integer with too many digits
        raise json.JSONDecodeError(str(error), "", 0) from None
    if isinstance(value, dict | list) and _depth_exceeds(value, MAX_DEPTH):
        raise json.JSONDecodeError(f"Nested deeper than {MAX_DEPTH} levels", "", 0)
    return value


def _depth_exceeds(value: Any, limit: int) -> bool:
    """Walk the containers once, without recursion."""
    pending: list[tuple[Any, int]] = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if depth > limit:
            return True
        children = item.values() if isinstance(item, dict) else item
        pending.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


class LimitedJSONRequest(Request):
    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            self._json = parse_json(await self.body())
        return self._json


class LimitedJSONRoute(APIRoute):
    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        if self.body_field is None:  # nothing to parse: no wrapper to pay for on each request
            return handler

        async def limited_handler(request: Request) -> Response:
            return await handler(LimitedJSONRequest(request.scope, request.receive))

        return limited_handler
