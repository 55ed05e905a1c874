"""Page objects: {"count", "next", "previous", "results"} with absolute links."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar
from urllib.parse import urlencode

from flask import request
from sqlalchemy import Integer, Select, bindparam

from .db import reading

T = TypeVar("T")
# OFFSET is an INTEGER parameter; a page beyond it is past the end of any real table.
MAX_OFFSET = 2**31 - 1
LIMIT, OFFSET = bindparam("limit", type_=Integer), bindparam("offset", type_=Integer)


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


def paginate(
    count: Select[int],
    rows: Select[Any],
    parameters: Mapping[str, Any],
    *,
    page: int,
    page_size: int,
    item: Callable[[Sequence[Any]], T],
) -> Page[T]:
    """One page of `rows` (made into items by `item`); `count` counts them all.

    `rows` is windowed(...): one statement, built once and run with parameters,
    gives the page and the count.
    """
    offset = (page - 1) * page_size
    with reading() as connection:  # Core rows: no ORM machinery per row
        found = (
            connection.execute(rows, {**parameters, "limit": page_size, "offset": offset}).all()
            if offset <= MAX_OFFSET
            else []
        )
        if not found:  # no row to carry the count: an empty list, or a page past the end
            total = connection.execute(count, parameters).scalar() or 0
            return Page(items=(), count=total, page=page, page_size=page_size)
    items = [item(row) for row in found]
    return Page(items=items, count=found[0][-1], page=page, page_size=page_size)


def windowed(rows: Select[Any], count: Select[int]) -> Select[Any]:
    """`rows` limited to one page by paginate's parameters, each ending with the count of all.

    PostgreSQL runs the uncorrelated count once per statement, not per row.
    """
    # correlate(None): the count is of all rows, not of the row it stands in.
    return rows.add_columns(count.correlate(None).scalar_subquery()).limit(LIMIT).offset(OFFSET)


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
