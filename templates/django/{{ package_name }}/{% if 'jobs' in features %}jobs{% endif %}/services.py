"""What the jobs do, without Celery: refresh the statistics, claim a mail's key."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from ..articles.models import Article
from .models import AuthorStats

# A claim outlives any one send (EMAIL_TIMEOUT_SECONDS), and a sent key stays a day.
CLAIM_SECONDS = 10 * 60
SENT_SECONDS = 24 * 60 * 60
SENT = "sent"


def refresh_article_stats() -> int:
    """Recompute author_stats in one transaction; the number of authors it holds."""
    now = timezone.now()
    counts = Article.objects.values("author_id").annotate(
        articles=Count("id"), published=Count("id", filter=Q(published=True))
    )
    rows = [
        AuthorStats(
            author_id=row["author_id"],
            article_count=row["articles"],
            published_count=row["published"],
            refreshed_at=now,
        )
        for row in counts
    ]
    with transaction.atomic():
        AuthorStats.objects.exclude(author_id__in=[row.author_id for row in rows]).delete()
        AuthorStats.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["author"],
            update_fields=["article_count", "published_count", "refreshed_at"],
        )
    return len(rows)


def claim_key(key: str) -> str:
    return f"{settings.JOBS_KEY_PREFIX}:mail:{key}"


def claim(key: str) -> bool:
    """True when this run may send the mail of `key` (SET NX): nobody sent or is sending it."""
    return bool(cache.add(claim_key(key), "sending", timeout=CLAIM_SECONDS))


def mark_sent(key: str) -> None:
    cache.set(claim_key(key), SENT, timeout=SENT_SECONDS)


def release(key: str) -> None:
    """Give the key back after a failed send, so that the retry can send."""
    cache.delete(claim_key(key))
