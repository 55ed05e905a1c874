"""Content negotiation that skips the work when a view can answer in one format only."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request


class JSONNegotiation(DefaultContentNegotiation):
    """The API's views have one renderer (JSON) and answer with it whatever Accept says,
    like the other starters; views with several (the docs) negotiate as REST framework does.
    """

    def select_renderer(
        self, request: Request, renderers: Iterable[BaseRenderer], format_suffix: str | None = None
    ) -> Any:
        choices = renderers if isinstance(renderers, list) else list(renderers)
        if len(choices) == 1 and format_suffix is None:
            return choices[0], choices[0].media_type
        return super().select_renderer(request, choices, format_suffix)
