"""author_stats: per author, how many articles and how many published (refresh_article_stats)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base, UTCDateTime


class AuthorStats(Base):
    __tablename__ = "author_stats"

    author_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    article_count: Mapped[int]
    published_count: Mapped[int]
    refreshed_at: Mapped[datetime] = mapped_column(UTCDateTime())
