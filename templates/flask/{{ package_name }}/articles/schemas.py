from __future__ import annotations

from collections.abc import Callable

from marshmallow import Schema, fields, validate

from ..schemas import InputSchema, PageQuery, PageSchema, Text, UtcDateTime, not_blank
from ..users.schemas import AuthorPublic
from .models import TITLE_MAX_LENGTH

TITLE_RULES: list[Callable[[str], object]] = [
    validate.Length(min=1, max=TITLE_MAX_LENGTH),
    not_blank,
]


class ArticleCreate(InputSchema):
    title = Text(required=True, validate=TITLE_RULES)
    content = Text(required=True)
    published = fields.Boolean(load_default=False)


class ArticleUpdate(InputSchema):
    title = Text(validate=TITLE_RULES)
    content = Text()
    published = fields.Boolean()


class ArticlePublic(Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    slug = fields.String(required=True)
    content = fields.String(required=True)
    published = fields.Boolean(required=True)
    author = fields.Nested(AuthorPublic, required=True)
    created_at = UtcDateTime(required=True)
    updated_at = UtcDateTime(required=True)


class ArticleQuery(PageQuery):
    search = Text(validate=validate.Length(min=1, max=200))
    published = fields.Boolean()
    author = Text(validate=validate.Length(min=1, max=150))


class ArticlePage(PageSchema):
    results = fields.List(fields.Nested(ArticlePublic), required=True)
