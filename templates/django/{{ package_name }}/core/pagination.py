"""Pages of results: {"count", "next", "previous", "results"} with absolute links."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.utils.urls import replace_query_param

M = TypeVar("M", bound=Model)
# Databases take OFFSET and LIMIT as 64-bit integers: a page beyond is past the end anyway.
LARGEST_OFFSET = 2**63 - 1


def paginate(
    queryset: QuerySet[M],
    *,
    request: Request,
    page: int,
    page_size: int,
    serialize: Callable[[QuerySet[M]], Sequence[Any]],
) -> dict[str, Any]:
    """One page of `queryset`; a page past the end is 404 (page 1 always exists)."""
    start = (page - 1) * page_size
    if start + page_size > LARGEST_OFFSET:
        raise NotFound("Page not found")
    results = serialize(queryset[start : start + page_size])
    if not results and page > 1:
        raise NotFound("Page not found")
    count = total(queryset, start=start, found=len(results), page_size=page_size)
    url = request.build_absolute_uri()
    return {
        "count": count,
        "next": replace_query_param(url, "page", page + 1) if start + page_size < count else None,
        "previous": replace_query_param(url, "page", page - 1) if page > 1 else None,
        "results": results,
    }


def total(queryset: QuerySet[Any], *, start: int, found: int, page_size: int) -> int:
    """How many items there are: a page that is not full tells, without a COUNT query."""
    if 0 < found < page_size or (found == 0 and start == 0):
        return start + found
    return queryset.count()
