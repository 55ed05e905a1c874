"""What goes in and out of the articles endpoints."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework import serializers

from ..core.fields import StrictBooleanField, StrictCharField
from ..users.models import User
from .models import TITLE_MAX_LENGTH, Article


def title_field(*, required: bool = True) -> StrictCharField:
    """Titles are kept as typed (so length limits match the schema), but never blank."""
    return StrictCharField(
        max_length=TITLE_MAX_LENGTH,
        trim_whitespace=False,
        validators=[not_blank],
        required=required,
    )


def not_blank(value: str) -> None:
    if not value.strip():
        raise serializers.ValidationError("This field may not be blank.", code="blank")


class ArticleCreate(serializers.Serializer[Article]):
    title = title_field()
    content = StrictCharField(allow_blank=True, trim_whitespace=False)
    published = StrictBooleanField(default=False)


class ArticleUpdate(serializers.Serializer[Article]):
    title = title_field(required=False)
    content = StrictCharField(allow_blank=True, trim_whitespace=False, required=False)
    published = StrictBooleanField(required=False)


class ArticleAuthor(serializers.ModelSerializer[User]):
    class Meta:
        model = User
        fields = ("id", "username")
        read_only_fields = fields


class ArticlePublic(serializers.ModelSerializer[Article]):
    author = ArticleAuthor(read_only=True)

    class Meta:
        model = Article
        fields = (
            "id",
            "title",
            "slug",
            "content",
            "published",
            "author",
            "created_at",
            "updated_at",
        )
        read_only_fields = fields

    def to_representation(self, instance: Article) -> dict[str, Any]:
        # Written out by hand: REST framework's field-by-field path (with a time zone
        # lookup per timestamp) costs several times more. Timestamps stay datetimes,
        # written by the renderer in UTC as the fields would. The Meta above still
        # describes the answer for the schema; tests check that both agree.
        author = instance.author
        return {
            "id": instance.pk,
            "title": instance.title,
            "slug": instance.slug,
            "content": instance.content,
            "published": instance.published,
            "author": {"id": author.pk, "username": author.username},
            "created_at": instance.created_at,
            "updated_at": instance.updated_at,
        }


ROW_FIELDS = ("id", "title", "slug", "content", "published", "created_at", "updated_at")


def public_articles(articles: QuerySet[Article]) -> list[dict[str, Any]]:
    """ArticlePublic's representation of many articles, read as rows: no model instances."""
    rows = articles.values(*ROW_FIELDS, "author_id", "author__username")
    return [
        {
            "id": row["id"],
            "title": row["title"],
            "slug": row["slug"],
            "content": row["content"],
            "published": row["published"],
            "author": {"id": row["author_id"], "username": row["author__username"]},
            "created_at": row["created_at"],
            "updated_at": row["updated_at"],
        }
        for row in rows
    ]


class ArticleListQuery(serializers.Serializer[None]):
    search = serializers.CharField(required=False, allow_blank=True, max_length=200)
    published = serializers.BooleanField(required=False, allow_null=True, default=None)
    author = serializers.CharField(required=False, max_length=150)
    page = serializers.IntegerField(required=False, min_value=1, default=1)
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=100, default=20)


class ArticlePage(serializers.Serializer[None]):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = ArticlePublic(many=True)
