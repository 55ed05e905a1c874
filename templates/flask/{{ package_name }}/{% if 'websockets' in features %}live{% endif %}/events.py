"""Which articles became published, and telling the live clients once the commit is done."""

from __future__ import annotations

import logging
from itertools import chain
from typing import Any

import orjson
from flask import current_app, has_app_context
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session, SessionTransaction

from ..articles.models import Article
from ..articles.services import published_article

logger = logging.getLogger(__name__)

PENDING = "live_published_article_ids"
EVENT_TYPE = "article.published"
_listening = False


def listen_for_publications() -> None:
    """Hook every session once per process; each app's publisher is found at commit time."""
    global _listening
    if _listening:
        return
    event.listen(Session, "after_flush", _collect)
    event.listen(Session, "after_commit", _announce)
    event.listen(Session, "after_soft_rollback", _forget)
    _listening = True


def became_published(article: Article, *, new: bool) -> bool:
    if new:
        return article.published is True
    history = inspect(article).attrs.published.history
    return list(history.added) == [True] and True not in history.deleted


def message_for(article: dict[str, Any]) -> str:
    return orjson.dumps({"type": EVENT_TYPE, "article": article}).decode()


def _collect(session: Session, _context: Any) -> None:
    for instance in chain(session.new, session.dirty):
        if isinstance(instance, Article) and became_published(
            instance, new=instance in session.new
        ):
            session.info.setdefault(PENDING, []).append(instance.id)


def _announce(session: Session) -> None:
    if session.in_nested_transaction() or PENDING not in session.info:
        return  # a savepoint: the transaction around it has not committed yet
    article_ids: list[int] = session.info.pop(PENDING)
    if not has_app_context() or "live" not in current_app.extensions:
        return
    fanout = current_app.extensions["live"]
    for article_id in dict.fromkeys(article_ids):
        article = published_article(article_id=article_id)
        if article is not None:
            fanout.publish(message_for(article))


def _forget(session: Session, previous: SessionTransaction) -> None:
    if previous.parent is None:
        session.info.pop(PENDING, None)
