"""How large a request body may be, by path: shared by the servers' entry points and Django."""

from __future__ import annotations

from collections.abc import Mapping


def limit_for(path: str, *, general: int, larger: Mapping[str, int]) -> int:
    """The limit of the first prefix in `larger` that `path` starts with, else `general`."""
    return next((limit for prefix, limit in larger.items() if path.startswith(prefix)), general)
