"""The rules for articles: who sees what, who may change what, how slugs are made."""

from __future__ import annotations

import secrets
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils.text import slugify

from ..users.models import User
from .errors import ArticleNotFound, NotArticleAuthor
from .models import SLUG_MAX_LENGTH, Article

EDITABLE_FIELDS = frozenset({"title", "content", "published"})
SLUG_ATTEMPTS = 10
FALLBACK_SLUG = "article"
# /articles/new is the page that writes one: an article titled "New" gets new-2.
RESERVED_SLUGS = frozenset({"new"})


def visible_articles(*, viewer: User | None) -> QuerySet[Article]:
    """Published articles, plus the viewer's own drafts."""
    if viewer is None:
        return Article.objects.filter(published=True)
    return Article.objects.filter(Q(published=True) | Q(author=viewer))


def list_articles(
    *,
    viewer: User | None,
    search: str | None = None,
    published: bool | None = None,
    author: str | None = None,
) -> QuerySet[Article]:
    """Visible articles, newest first, narrowed by the optional filters."""
    articles = visible_articles(viewer=viewer)
    if search:
        articles = articles.filter(Q(title__icontains=search) | Q(content__icontains=search))
    if published is not None:
        articles = articles.filter(published=published)
    if author:
        articles = articles.filter(author__username=author)
    return articles.order_by("-created_at", "-id")


def get_article(*, slug: str, viewer: User | None) -> Article:
    try:
        return visible_articles(viewer=viewer).select_related("author").get(slug=slug)
    except Article.DoesNotExist:
        raise ArticleNotFound(slug) from None


def unique_slug(*, title: str) -> str:
    """A URL-safe slug from the title, with -2, -3... when it is taken."""
    base = _slug_base(title)
    taken = set(
        Article.objects.filter(slug__regex=rf"^{base}(-[0-9]+)?$").values_list("slug", flat=True)
    )
    taken |= RESERVED_SLUGS
    if base not in taken:
        return base
    suffix = 2
    while f"{base}-{suffix}" in taken:
        suffix += 1
    return f"{base}-{suffix}"


def _slug_base(title: str) -> str:
    return slugify(title)[: SLUG_MAX_LENGTH - 12].strip("-") or FALLBACK_SLUG


def create_article(*, author: User, title: str, content: str, published: bool = False) -> Article:
    """Insert the article under a free slug, retried when a parallel request took it meanwhile.

    Each try runs in a savepoint, so a collision leaves the surrounding transaction
    usable. After SLUG_ATTEMPTS collisions in a row, a random suffix ends the race.
    """
    for _ in range(SLUG_ATTEMPTS):
        try:
            with transaction.atomic():
                return _insert_article(author, title, content, published, unique_slug(title=title))
        except IntegrityError:
            continue  # a concurrent request took the same slug; compute a fresh one
    slug = f"{_slug_base(title)}-{secrets.token_hex(4)}"
    with transaction.atomic():
        return _insert_article(author, title, content, published, slug)


def _insert_article(author: User, title: str, content: str, published: bool, slug: str) -> Article:
    return Article.objects.create(
        author=author, title=title, content=content, published=published, slug=slug
    )


def update_article(*, slug: str, editor: User, changes: dict[str, Any]) -> Article:
    """Apply a partial change; the slug stays as it was so links keep working."""
    article = _own_article(slug=slug, editor=editor)
    for field, value in changes.items():
        if field in EDITABLE_FIELDS:
            setattr(article, field, value)
    article.save()
    return article


def delete_article(*, slug: str, editor: User) -> None:
    _own_article(slug=slug, editor=editor).delete()


def _own_article(*, slug: str, editor: User) -> Article:
    article = get_article(slug=slug, viewer=editor)
    if article.author_id != editor.pk:
        raise NotArticleAuthor(slug)
    return article
