"""What goes in and out of the articles endpoints."""

from __future__ import annotations

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
