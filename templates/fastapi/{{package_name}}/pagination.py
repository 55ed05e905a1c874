"""Page-number pagination with absolute next/previous links that keep the other parameters."""

from __future__ import annotations

from typing import Generic, TypeVar
from urllib.parse import urlencode

from fastapi import Request
from pydantic import BaseModel, Field

MAX_PAGE_SIZE = 100
# Far beyond any real list, and small enough that the offset fits every database's integers.
MAX_PAGE = 1_000_000_000

ItemT = TypeVar("ItemT")


class PageParams(BaseModel):
    """The page asked for. A query model, or the base of one that adds a list's filters:
    one validation for all of a list's parameters instead of one per parameter."""

    page: int = Field(1, ge=1, le=MAX_PAGE, description="Page number, from 1")
    page_size: int = Field(20, ge=1, le=MAX_PAGE_SIZE, description="Items per page")

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size


class Page(BaseModel, Generic[ItemT]):
    count: int
    next: str | None
    previous: str | None
    results: list[ItemT]


def page_links(request: Request, params: PageParams, count: int) -> tuple[str | None, str | None]:
    """The URLs of the next and previous pages, or None where there is none.

    Each keeps the request's other parameters in their order; `page` comes last.
    """
    has_next, has_previous = params.offset + params.page_size < count, params.page > 1
    if not (has_next or has_previous):
        return None, None
    # One parse of the query string for both links (URL.include_query_params parses per call).
    others = [(key, value) for key, value in request.query_params.multi_items() if key != "page"]
    url = request.url

    def link(page: int) -> str:
        return str(url.replace(query=urlencode([*others, ("page", str(page))])))

    return (link(params.page + 1) if has_next else None), (
        link(params.page - 1) if has_previous else None
    )
