"""A request's route template, spelled `/api/articles/{slug}` as in every starter."""

from __future__ import annotations

import re

from django.http import HttpRequest

from ..core import views as error_views

UNMATCHED = "unmatched"
CONVERTER = re.compile(r"<(?:\w+:)?(\w+)>")


def route_of(request: HttpRequest) -> str:
    match = request.resolver_match
    if match is None or match.func is error_views.api_not_found or not match.route:
        return UNMATCHED
    return "/" + CONVERTER.sub(r"{\1}", match.route)
