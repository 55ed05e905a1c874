"""Test data, built through the models' managers."""

from __future__ import annotations

import itertools
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models import Model

PASSWORD = "correct-horse-battery"
_numbers = itertools.count(1)


def make_user(**fields: Any) -> Any:
    number = next(_numbers)
    fields.setdefault("username", f"user{number}")
    fields.setdefault("email", f"user{number}@example.com")
    fields.setdefault("password", PASSWORD)
    return get_user_model().objects.create_user(**fields)


def make_article(*, author: Model, **fields: Any) -> Any:
    number = next(_numbers)
    fields.setdefault("title", f"Article {number}")
    fields.setdefault("slug", f"article-{number}")
    fields.setdefault("content", f"Content of article {number}")
    fields.setdefault("published", True)
    return apps.get_model("articles", "Article").objects.create(author=author, **fields)
