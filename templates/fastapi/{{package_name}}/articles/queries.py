"""The statements behind a list of articles: Core over the tables, each built once per shape.

Core, not ORM entities: a list needs no identity map or change tracking, and none of the
author's other columns (email, password hash). One statement object serves every request of
its shape (signed in or not, which filters), the values bound as parameters, so SQLAlchemy
works out its cache key once instead of on every request.
"""

from __future__ import annotations

from functools import cache
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, Select, String, bindparam, func, or_, select

from ..users.models import User
from .models import Article

articles, users = Article.__table__, User.__table__
author = users.alias("author")  # not correlated with the author filter's subquery on users

LISTED_COLUMNS = (
    articles.c.id,
    articles.c.title,
    articles.c.slug,
    articles.c.content,
    articles.c.published,
    articles.c.created_at,
    articles.c.updated_at,
    author.c.id.label("author_id"),
    author.c.username.label("author_username"),
)


class ListShape(NamedTuple):
    signed_in: bool
    search: bool
    published: bool | None
    author: bool


def _conditions(shape: ListShape) -> list[ColumnElement[bool]]:
    visible: ColumnElement[bool] = articles.c.published.is_(True)
    if shape.signed_in:
        visible = or_(visible, articles.c.author_id == bindparam("viewer_id"))
    conditions: list[ColumnElement[bool]] = [visible]
    if shape.search:
        pattern = bindparam("pattern", type_=String)
        in_title = articles.c.title.ilike(pattern, escape="\\")
        conditions.append(or_(in_title, articles.c.content.ilike(pattern, escape="\\")))
    if shape.published is not None:
        conditions.append(articles.c.published.is_(shape.published))
    if shape.author:
        author_id = select(users.c.id).where(users.c.username == bindparam("author"))
        conditions.append(articles.c.author_id == author_id.scalar_subquery())
    return conditions


@cache
def count_statement(shape: ListShape) -> Select[Any]:
    return select(func.count()).select_from(articles).where(*_conditions(shape))


@cache
def page_statement(shape: ListShape) -> Select[Any]:
    """The page, each row with the count of the whole list: one round trip, not two.

    The count is an uncorrelated subquery, computed once per statement; a page with no
    rows has no count (count_statement answers then).
    """
    total = count_statement(shape).correlate(None).scalar_subquery().label("total")
    return (
        select(*LISTED_COLUMNS, total)
        .join_from(articles, author, author.c.id == articles.c.author_id)
        .where(*_conditions(shape))
        .order_by(articles.c.created_at.desc(), articles.c.id.desc())
        .offset(bindparam("offset"))
        .limit(bindparam("limit"))
    )
