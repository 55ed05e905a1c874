"""The OpenAPI document describes the API only, not the editors' admin's own endpoints."""

from __future__ import annotations

from typing import Any

from .security import ADMIN_PREFIX

Endpoint = tuple[str, str, str, Any]


def without_the_admin_api(endpoints: list[Endpoint], **kwargs: Any) -> list[Endpoint]:
    """drf-spectacular's preprocessing hook: drop Wagtail's admin API under /cms/."""
    return [endpoint for endpoint in endpoints if not endpoint[0].startswith(ADMIN_PREFIX)]
