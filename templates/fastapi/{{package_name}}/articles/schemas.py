from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints, field_validator

from ..fields import NoNul, Text
from .models import TITLE_MAX_LENGTH

Title = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=TITLE_MAX_LENGTH),
    NoNul,
]
SearchTerm = Annotated[str, StringConstraints(max_length=200), NoNul]
Username = Annotated[str, StringConstraints(max_length=150), NoNul]


class ArticleCreate(BaseModel):
    title: Title
    content: Text
    published: bool = False


class ArticleUpdate(BaseModel):
    """A partial update: only the fields sent change; none of them may be null."""

    title: Title | None = None
    content: Text | None = None
    published: bool | None = None

    @field_validator("title", "content", "published")
    @classmethod
    def reject_null(cls, value: object) -> object:
        if value is None:
            raise ValueError("May not be null; leave the field out to keep its value")
        return value


class AuthorPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    username: str


class ArticlePublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    title: str
    slug: str
    content: str
    published: bool
    author: AuthorPublic
    created_at: datetime
    updated_at: datetime


class ArticleFilters(BaseModel):
    """The query that narrows a list of articles."""

    search: SearchTerm | None = None
    published: bool | None = None
    author: Username | None = None
