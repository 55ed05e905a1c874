"""Page-number pagination with absolute next/previous links that keep the other parameters."""

from __future__ import annotations

from typing import Annotated, Generic, TypeVar

from fastapi import Depends, Query, Request
from pydantic import BaseModel

MAX_PAGE_SIZE = 100
# Far beyond any real list, and small enough that the offset fits every database's integers.
MAX_PAGE = 1_000_000_000

ItemT = TypeVar("ItemT")


class PageParams(BaseModel):
    page: int
    page_size: int

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size


async def get_page_params(
    page: Annotated[int, Query(ge=1, le=MAX_PAGE, description="Page number, from 1")] = 1,
    page_size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description="Items per page")] = 20,
) -> PageParams:
    return PageParams(page=page, page_size=page_size)


PageParamsDep = Annotated[PageParams, Depends(get_page_params)]


class Page(BaseModel, Generic[ItemT]):
    count: int
    next: str | None
    previous: str | None
    results: list[ItemT]


def page_links(request: Request, params: PageParams, count: int) -> tuple[str | None, str | None]:
    """The URLs of the next and previous pages, or None where there is none."""
    next_url = previous_url = None
    if params.offset + params.page_size < count:
        next_url = str(request.url.include_query_params(page=params.page + 1))
    if params.page > 1:
        previous_url = str(request.url.include_query_params(page=params.page - 1))
    return next_url, previous_url
