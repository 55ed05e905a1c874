"""Page objects: {"count", "next", "previous", "results"} with absolute links."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar
from urllib.parse import urlencode

from flask import request
from sqlalchemy import Select, func, select

from .extensions import db

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    items: Sequence[T]
    count: int
    page: int
    page_size: int

    @property
    def page_count(self) -> int:
        return max(1, math.ceil(self.count / self.page_size))

    @property
    def is_past_the_end(self) -> bool:
        return self.page > self.page_count


def paginate(statement: Select[T], *, page: int, page_size: int) -> Page[T]:
    """Run `statement` for one page; the count ignores its ordering."""
    count_statement = select(func.count()).select_from(statement.order_by(None).subquery())
    count = db.session.scalar(count_statement) or 0
    empty: Page[T] = Page(items=(), count=count, page=page, page_size=page_size)
    if empty.is_past_the_end:
        return empty  # no query with a huge OFFSET for an absurd page number
    offset = (page - 1) * page_size
    items = db.session.scalars(statement.limit(page_size).offset(offset)).unique().all()
    return Page(items=items, count=count, page=page, page_size=page_size)


def page_body(page: Page[Any]) -> dict[str, Any]:
    """The contract's page object for the current request (links keep other params)."""
    has_next = page.page < page.page_count
    return {
        "count": page.count,
        "next": _page_url(page.page + 1) if has_next else None,
        "previous": _page_url(page.page - 1) if page.page > 1 else None,
        "results": page.items,
    }


def _page_url(number: int) -> str:
    arguments = request.args.to_dict(flat=False)
    arguments["page"] = [str(number)]
    return f"{request.base_url}?{urlencode(arguments, doseq=True)}"
