"""Schema pieces shared by the features."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20


class Text(fields.String):
    """A string the databases can store: NUL characters are refused (PostgreSQL cannot)."""

    default_error_messages = {"nul": "Must not contain NUL characters."}  # noqa: RUF012

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text: str = super()._deserialize(value, attr, data, **kwargs)
        if "\x00" in text:
            raise self.make_error("nul")
        return text


def not_blank(value: str) -> None:
    if not value.strip():
        raise ValidationError("Must not be blank.")


class InputSchema(Schema):
    """Input schemas ignore unknown keys (id, slug, author... sent by a client)."""

    class Meta:
        unknown = EXCLUDE


class UtcDateTime(fields.DateTime):
    """ISO 8601 with an explicit UTC offset, also for SQLite's naive values."""

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        if value is None:
            return None
        return utc(value).isoformat()


def utc(moment: datetime) -> datetime:
    """`moment` in UTC; a naive value (SQLite keeps no offset) is UTC already."""
    if moment.tzinfo is UTC:  # PostgreSQL's, whose sessions are in UTC (see db.py)
        return moment
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


class PageQuery(InputSchema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1))
    page_size = fields.Integer(
        load_default=DEFAULT_PAGE_SIZE, validate=validate.Range(min=1, max=MAX_PAGE_SIZE)
    )


class PageSchema(Schema):
    count = fields.Integer(required=True)
    next = fields.Url(allow_none=True, required=True)
    previous = fields.Url(allow_none=True, required=True)
