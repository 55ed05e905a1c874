"""The pages' forms: fields read from the posted body, checked by the API's own schemas."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from starlette.requests import Request

Schema = TypeVar("Schema", bound=BaseModel)

MESSAGES = {
    "string_too_short": "Ensure this value has at least {min_length} characters.",
    "string_too_long": "Ensure this value has at most {max_length} characters.",
    "missing": "This field is required.",
}


class FormErrors(Exception):
    """What is wrong with each field (by name; None for the form as a whole)."""

    def __init__(self, errors: dict[str | None, str]) -> None:
        super().__init__(errors)
        self.errors = errors


async def form_fields(request: Request, *names: str) -> dict[str, str]:
    """The named text fields of the posted form ('' when missing; files count as missing)."""
    form = await request.form()
    fields: dict[str, str] = {}
    for name in names:
        value = form.get(name)
        fields[name] = value if isinstance(value, str) else ""
    return fields


def validated(schema: type[Schema], values: dict[str, Any]) -> Schema:
    """The schema's object, or FormErrors with one message per field."""
    try:
        return schema.model_validate(values)
    except ValidationError as error:
        raise FormErrors(
            {
                str(issue["loc"][0]) if issue["loc"] else None: _message(issue)
                for issue in reversed(error.errors())
            }
        ) from None


def _message(issue: Any) -> str:
    template = MESSAGES.get(issue["type"])
    if template is not None:
        return template.format(**issue.get("ctx", {}))
    return str(issue["msg"]).removeprefix("Value error, ")
