"""Query-string models validated in one go, for the busiest routes.

FastAPI resolves a `Query()` model field by field on every request (aliases, a sequence
check per field, then the model): a good share of a fast list route's time.
`parsed_query(Model)` is a dependency that validates the whole query string at once, with
the same errors (422, `loc` `["query", field]`); `documented_query(Model)` describes the
same parameters in OpenAPI, for the route's `openapi_extra`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.constants import REF_PREFIX
from pydantic import BaseModel, ValidationError

ModelT = TypeVar("ModelT", bound=BaseModel)

# FastAPI's own 422 answer, defined in the components by every route with a body.
VALIDATION_ERROR_RESPONSE = {
    "description": "Validation Error",
    "content": {"application/json": {"schema": {"$ref": f"{REF_PREFIX}HTTPValidationError"}}},
}


def parsed_query(model: type[ModelT]) -> Callable[[Request], Awaitable[ModelT]]:
    """A dependency: the request's query string as `model` (repeated keys: the last value)."""

    async def parse(request: Request) -> ModelT:
        try:
            return model.model_validate(dict(request.query_params))
        except ValidationError as error:
            issues = [{**issue, "loc": ("query", *issue["loc"])} for issue in error.errors()]
            raise RequestValidationError(issues) from None

    return parse


def documented_query(model: type[BaseModel]) -> dict[str, Any]:
    """`openapi_extra` for a route that parses `model` with parsed_query: its parameters."""
    schema = model.model_json_schema()
    if "$defs" in schema:
        raise ValueError(f"{model.__name__}: a query model has flat fields only")
    required = set(schema.get("required", ()))
    parameters = [
        {"name": name, "in": "query", "required": name in required, "schema": field}
        | ({"description": field["description"]} if "description" in field else {})
        for name, field in schema["properties"].items()
    ]
    return {"parameters": parameters, "responses": {"422": VALIDATION_ERROR_RESPONSE}}
