"""refresh_article_stats: author_stats recomputed from the articles in one transaction.

Upserting every author's counts and deleting the rows of authors left without articles
makes each run idempotent, and a reader sees either the old numbers or the new ones.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from sqlalchemy import Integer, cast, delete, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.sql import Executable

from ..articles.models import Article
from ..db import utc_now
from .models import AuthorStats

logger = logging.getLogger(__name__)


async def refresh_author_stats(session: AsyncSession) -> int:
    """Make author_stats match the articles; the number of authors it holds now."""
    async with session.begin():
        counts = await session.execute(
            select(
                Article.author_id,
                func.count(Article.id),
                func.coalesce(func.sum(cast(Article.published, Integer)), 0),
            ).group_by(Article.author_id)
        )
        now = utc_now()
        rows = [_row(author_id, total, published, now) for author_id, total, published in counts]
        if rows:
            await session.execute(_upsert(session.get_bind().dialect.name, rows))
        await session.execute(
            delete(AuthorStats).where(AuthorStats.author_id.not_in(select(Article.author_id)))
        )
    return len(rows)


def _row(author_id: int, total: int, published: int, now: datetime) -> dict[str, Any]:
    return {
        "author_id": author_id,
        "article_count": int(total),
        "published_count": int(published),
        "refreshed_at": now,
    }


def _upsert(dialect: str, rows: list[dict[str, Any]]) -> Executable:
    columns = ("article_count", "published_count", "refreshed_at")
    if dialect == "postgresql":
        on_postgresql = postgresql.insert(AuthorStats).values(rows)
        return on_postgresql.on_conflict_do_update(
            index_elements=[AuthorStats.author_id],
            set_={name: on_postgresql.excluded[name] for name in columns},
        )
    on_sqlite = sqlite.insert(AuthorStats).values(rows)
    return on_sqlite.on_conflict_do_update(
        index_elements=[AuthorStats.author_id],
        set_={name: on_sqlite.excluded[name] for name in columns},
    )


async def refresh_article_stats(ctx: dict[str, Any]) -> int:
    """The periodic job (arq cron)."""
    sessionmaker: async_sessionmaker[AsyncSession] = ctx["sessionmaker"]
    async with sessionmaker() as session:
        authors = await refresh_author_stats(session)
    logger.info("refresh_article_stats: %d authors", authors)
    return authors
