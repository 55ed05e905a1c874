"""Articles that became published, sent to the live clients once their transaction commits."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from ..articles.models import Article
from ..articles.schemas import ArticlePublic
from .hub import Hub

HUB = "live_hub"
PENDING = "live_pending"
ARTICLE_PUBLISHED = "article.published"


class PublishingSession(Session):
    """The sessions of an application with live updates; session.info[HUB] is its hub."""


def message(article: Article) -> str:
    """The event, with the article exactly as GET /api/articles/{slug} shows it."""
    body = ArticlePublic.model_validate(article).model_dump_json()
    return f'{{"type":"{ARTICLE_PUBLISHED}","article":{body}}}'


def _became_published(article: Article) -> bool:
    history = inspect(article).attrs.published.history
    return list(history.added) == [True] and list(history.deleted) == [False]


@event.listens_for(PublishingSession, "after_flush")
def _collect(session: Session, _context: Any) -> None:
    # Serialised now, inside the transaction; sent only after it commits.
    published = [item for item in session.new if isinstance(item, Article) and item.published]
    published += [
        item for item in session.dirty if isinstance(item, Article) and _became_published(item)
    ]
    if published:
        session.info.setdefault(PENDING, []).extend(message(item) for item in published)


@event.listens_for(PublishingSession, "after_commit")
def _send(session: Session) -> None:
    hub: Hub | None = session.info.get(HUB)
    for pending in session.info.pop(PENDING, []):
        if hub is not None:
            hub.publish(pending)


@event.listens_for(PublishingSession, "after_soft_rollback")
def _forget(session: Session, _transaction: Any) -> None:
    session.info.pop(PENDING, None)
