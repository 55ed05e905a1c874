"""Pages of results: {"count", "next", "previous", "results"} with absolute links."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.core.paginator import EmptyPage, Paginator
from django.db.models import Model, QuerySet
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.utils.urls import replace_query_param

M = TypeVar("M", bound=Model)


def paginate(
    queryset: QuerySet[M],
    *,
    request: Request,
    page: int,
    page_size: int,
    serialize: Callable[[Sequence[M]], Any],
) -> dict[str, Any]:
    """One page of `queryset`; a page past the end is 404 (page 1 always exists)."""
    paginator = Paginator(queryset, page_size)
    try:
        current = paginator.page(page)
    except EmptyPage:
        raise NotFound("Page not found") from None
    url = request.build_absolute_uri()
    return {
        "count": paginator.count,
        "next": replace_query_param(url, "page", page + 1) if current.has_next() else None,
        "previous": replace_query_param(url, "page", page - 1) if current.has_previous() else None,
        "results": serialize(list(current.object_list)),
    }
