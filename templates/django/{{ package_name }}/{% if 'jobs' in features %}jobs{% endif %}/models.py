from django.conf import settings
from django.db import models


class AuthorStats(models.Model):
    """One row per user with at least one article; refresh_article_stats rewrites them."""

    author = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    article_count = models.IntegerField()
    published_count = models.IntegerField()
    refreshed_at = models.DateTimeField()

    class Meta:
        db_table = "author_stats"
        verbose_name_plural = "author stats"

    def __str__(self) -> str:
        return f"stats of user {self.author_id}"
