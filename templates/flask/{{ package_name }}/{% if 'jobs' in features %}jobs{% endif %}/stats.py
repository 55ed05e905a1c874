"""Recompute author_stats from the articles, in one transaction (idempotent by construction)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from celery import shared_task
from sqlalchemy import Integer, cast, delete, func, insert, literal, select

from ..articles.models import Article
from ..extensions import db
from .models import AuthorStats

logger = logging.getLogger(__name__)


def refresh_author_stats() -> int:
    """Replace every row; authors without articles have none. The number of rows written."""
    now = datetime.now(UTC)
    counts = select(
        Article.author_id,
        func.count(Article.id),
        func.sum(cast(Article.published, Integer)),
        literal(now, AuthorStats.refreshed_at.type),
    ).group_by(Article.author_id)
    columns = ["author_id", "article_count", "published_count", "refreshed_at"]
    try:
        db.session.execute(delete(AuthorStats))
        db.session.execute(insert(AuthorStats).from_select(columns, counts))
        rows = db.session.scalar(select(func.count()).select_from(AuthorStats)) or 0
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return rows


@shared_task(name="refresh_article_stats")
def refresh_article_stats() -> int:
    """The periodic job: author_stats made to match the articles again."""
    rows = refresh_author_stats()
    logger.info("refresh_article_stats: %d authors", rows)
    return rows
