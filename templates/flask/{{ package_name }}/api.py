"""The flask-smorest Api with the contract's error bodies: {"detail": ...} everywhere."""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import flask_smorest
import orjson
from flask import Flask, Request, jsonify, request
from flask_smorest import Api
from marshmallow import Schema, fields, missing
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from webargs.flaskparser import FlaskParser, is_json_request
from werkzeug.exceptions import HTTPException, InternalServerError, ServiceUnavailable
from werkzeug.wrappers import Response

from .db_deadline import DatabaseTimeout

logger = logging.getLogger(__name__)

API_PREFIX = "/api"
# webargs locations -> the names clients know from the contract's `loc`.
LOCATIONS = {
    "json": "body",
    "form": "body",
    "query": "query",
    "view_args": "path",
    "headers": "header",
}
MISSING_MESSAGES = frozenset({"Missing data for required field.", "Field may not be null."})
DISCARD_LIMIT = 16 * 1024 * 1024
MAX_JSON_DEPTH = 64
HTTP_DETAILS = {
    404: "Not Found",
    405: "Method Not Allowed",
    413: "Request body too large (the limit is 1 MiB)",
    429: "Too many failed attempts; try again later",
    503: "Service temporarily unavailable; try again later",
}
UNAVAILABLE_ERRORS: tuple[type[Exception], ...] = (
    OperationalError,  # connection lost or refused, statement timeout, SQLite busy
    PoolTimeout,
    DatabaseTimeout,
)


class StrictJsonParser(FlaskParser):
    """webargs' parser with orjson and the contract's limits.

    An empty JSON body is invalid JSON (not "no data"); so are nesting deeper than
    MAX_JSON_DEPTH, lone surrogates and numbers too large for a double: 422, not 500.
    """

    def _get_schema(self, argmap: Any, req: Request) -> Schema:
        # webargs would build the schema (a deep copy of its fields) for every request.
        if isinstance(argmap, type) and issubclass(argmap, Schema):
            return _schema_instance(argmap)
        schema: Schema = super()._get_schema(argmap, req)
        return schema

    def load_json(self, req: Request, schema: Schema) -> Any:
        if not is_json_request(req):
            return missing
        try:
            return parse_json(req.get_data(cache=True))
        except json.JSONDecodeError as error:
            return self._handle_invalid_json_error(error, req)


@functools.cache
def _schema_instance(schema_class: type[Schema]) -> Schema:
    return schema_class()


def parse_json(data: bytes) -> Any:
    if not data.strip():
        raise json.JSONDecodeError("Expecting value", "", 0)
    value = orjson.loads(data)  # its JSONDecodeError is the standard library's
    # A body with few brackets cannot be deep: skip the walk for the usual bodies.
    if data.count(b"[") + data.count(b"{") > MAX_JSON_DEPTH and _too_deep(value):
        raise json.JSONDecodeError(f"Nesting deeper than {MAX_JSON_DEPTH} levels", "", 0)
    return value


def _too_deep(value: Any) -> bool:
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children = item.values() if isinstance(item, dict) else item
        if depth > MAX_JSON_DEPTH:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


class Blueprint(flask_smorest.Blueprint):  # type: ignore[misc]
    """flask-smorest's Blueprint with the strict JSON parser."""

    ARGUMENTS_PARSER = StrictJsonParser()


class ErrorSchema(Schema):
    detail = fields.Raw(required=True, metadata={"description": "What went wrong"})


class JsonApi(Api):  # type: ignore[misc]
    """Api whose error handler speaks the contract (detail, loc/msg/type for 422)."""

    ERROR_SCHEMA = ErrorSchema

    def handle_http_exception(self, error: HTTPException) -> Response:
        return http_error_response(error)


def http_error_response(error: HTTPException) -> Response:
    """JSON under /api (and for API clients); Werkzeug's page for browsers elsewhere."""
    if request.path.startswith(API_PREFIX) or not request.accept_mimetypes.accept_html:
        response = _json_error_response(error)
    else:
        response = error.get_response()
    if response.status_code == 413:
        _discard_request_body(response)
    return response


def _json_error_response(error: HTTPException) -> Response:
    code = error.code or 500
    data = getattr(error, "data", None) or {}
    messages = data.get("messages")
    if messages is not None:
        code = 422
        body: dict[str, Any] = {"detail": list(validation_details(messages))}
    else:
        body = {"detail": _detail(error, code)}
    response = jsonify(body)
    response.status_code = code
    headers = data.get("headers") or {}
    for name, value in [*error.get_headers(), *headers.items()]:
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


def _discard_request_body(response: Response) -> None:
    """Read (and drop) an oversized body so the client sees the 413 before the close.

    Closing a socket with unread data makes the kernel reset the connection, and
    the client would then lose the response it was sent.
    """
    response.headers["Connection"] = "close"
    remaining = min(request.content_length or 0, DISCARD_LIMIT)
    stream = request.environ["wsgi.input"]
    while remaining > 0:
        chunk = stream.read(min(remaining, 65536))
        if not chunk:
            break
        remaining -= len(chunk)


def internal_error_response(error: Exception) -> Response:
    """The last resort: log the traceback, show the client nothing of it."""
    logger.exception("Unhandled error on %s %s", request.method, request.path, exc_info=error)
    return http_error_response(InternalServerError())


def validation_details(messages: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    """Flatten webargs/marshmallow messages into [{"loc", "msg", "type"}]."""
    for location, errors in messages.items():
        yield from _flatten([LOCATIONS.get(location, location)], errors)


def _flatten(loc: Sequence[str | int], errors: object) -> Iterator[dict[str, Any]]:
    if isinstance(errors, Mapping):
        for key, value in errors.items():
            yield from _flatten(loc if key == "_schema" else [*loc, key], value)
    elif isinstance(errors, list | tuple):
        for message in errors:
            yield from _flatten(loc, message)
    else:
        message = str(errors)
        kind = "missing" if message in MISSING_MESSAGES else "value_error"
        yield {"loc": list(loc), "msg": message, "type": kind}


def _detail(error: HTTPException, code: int) -> str:
    if code == 503:
        return HTTP_DETAILS[503]
    if code >= 500:
        return "Internal Server Error"
    if error.description and error.description != type(error).description:
        return error.description
    return HTTP_DETAILS.get(code, error.name)


def unavailable_response(error: Exception) -> Response:
    """The database (or Redis) did not answer in time or at all: 503, not a traceback."""
    logger.warning("Service unavailable on %s %s: %r", request.method, request.path, error)
    return http_error_response(ServiceUnavailable())


def register_error_handlers(app: Flask, also_unavailable: tuple[type[Exception], ...] = ()) -> None:
    app.register_error_handler(HTTPException, http_error_response)
    for unavailable in (*UNAVAILABLE_ERRORS, *also_unavailable):
        app.register_error_handler(unavailable, unavailable_response)
    app.register_error_handler(Exception, internal_error_response)
