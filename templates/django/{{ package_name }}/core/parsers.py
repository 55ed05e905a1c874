"""JSON bodies, refused with 422 when no database or Python could safely take them.

The rules (the same in every starter of this family): nesting deeper than 64,
integers of more than 4,300 digits, lone surrogates and NUL characters in any
string. Everything else that is not JSON stays a 400 "Malformed request body".
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import IO, Any

from django.conf import settings
from rest_framework.exceptions import ErrorDetail, ParseError, ValidationError
from rest_framework.parsers import JSONParser

from .responses import MALFORMED_BODY

MAX_DEPTH = 64
MAX_INTEGER_DIGITS = 4300
SURROGATE = re.compile("[\ud800-\udfff]")

Path = tuple[str | int, ...]


class IntegerTooLong(ValueError):
    pass


class StrictJSONParser(JSONParser):
    def parse(
        self,
        stream: IO[Any],
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            data = json.loads(
                stream.read().decode(encoding),
                parse_int=bounded_int,
                parse_constant=refuse_constant,
            )
        except RecursionError:
            raise invalid([], f"Nested deeper than {MAX_DEPTH} levels", "too_deep") from None
        except IntegerTooLong:
            message = f"Integers may have at most {MAX_INTEGER_DIGITS} digits"
            raise invalid([], message, "integer_too_long") from None
        except ValueError:  # not JSON, not UTF-8, NaN or Infinity
            raise ParseError(MALFORMED_BODY) from None
        if (problem := first_problem(data)) is not None:
            raise invalid(*problem)
        return data


def bounded_int(text: str) -> int:
    if len(text) > MAX_INTEGER_DIGITS + text.startswith("-"):
        raise IntegerTooLong(text[:20])
    return int(text)


def refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not valid JSON")


def first_problem(value: Any, path: Path = (), depth: int = 0) -> tuple[Path, str, str] | None:
    """Where the document breaks a rule, with a message and an error type; None when it is fine."""
    if isinstance(value, str):
        return text_problem(value, path)
    if not isinstance(value, dict | list):
        return None
    if depth >= MAX_DEPTH:
        return path, f"Nested deeper than {MAX_DEPTH} levels", "too_deep"
    items = value.items() if isinstance(value, dict) else enumerate(value)
    for key, item in items:
        where = (*path, key)
        if isinstance(key, str) and (problem := text_problem(key, where)) is not None:
            return problem
        if (problem := first_problem(item, where, depth + 1)) is not None:
            return problem
    return None


def text_problem(text: str, path: Path) -> tuple[Path, str, str] | None:
    if "\x00" in text:
        return path, "Null characters are not allowed.", "null_characters"
    if not text.isascii() and SURROGATE.search(text):
        return path, "Lone surrogates are not valid text.", "surrogate"
    return None


def invalid(path: Path | list[Any], message: str, code: str) -> ValidationError:
    """A 422 whose `loc` is ["body", *path] (see core.exceptions)."""
    detail: Any = [ErrorDetail(message, code=code)]
    for key in reversed(path):
        detail = {key: detail}
    return ValidationError(detail)
