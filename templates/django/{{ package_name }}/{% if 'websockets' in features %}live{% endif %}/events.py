"""Articles that become published, announced to the live clients once their transaction commits.

Created published, or saved as published after being loaded as a draft: a
published article that is edited is not announced again, and a draft never is.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import transaction
from django.db.models.signals import post_init, post_save

from ..articles.models import Article
from ..articles.serializers import ArticlePublic
from ..core.renderers import FastJSONRenderer
from .hub import hub

EVENT_TYPE = "article.published"
# Kept in the instance's __dict__: reading `published` itself could load a deferred field.
WAS_PUBLISHED = "_live_was_published"


def watch_articles() -> None:
    post_init.connect(remember_published, sender=Article, dispatch_uid="live-remember")
    post_save.connect(announce_if_published, sender=Article, dispatch_uid="live-announce")


def remember_published(sender: type[Article], instance: Article, **kwargs: Any) -> None:
    instance.__dict__[WAS_PUBLISHED] = instance.__dict__.get("published", False)


def announce_if_published(
    sender: type[Article], instance: Article, created: bool, **kwargs: Any
) -> None:
    was_published = not created and instance.__dict__.get(WAS_PUBLISHED, False)
    instance.__dict__[WAS_PUBLISHED] = instance.published
    if instance.published and not was_published:
        # robust: the write has committed; a fan-out failure must not turn its answer into a 500.
        transaction.on_commit(partial(announce, instance), robust=True)


def announce(article: Article) -> None:
    hub.broadcast(event_text(article))


def event_text(article: Article) -> str:
    """The event as JSON text, the article exactly as GET /api/articles/{slug} writes it."""
    event = {"type": EVENT_TYPE, "article": ArticlePublic(article).data}
    return FastJSONRenderer().render(event).decode()
