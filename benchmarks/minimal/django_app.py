"""Django in one file: a plain view and `.values()` over the starter's own tables.

gunicorn --pythonpath benchmarks/minimal django_app:application
"""

from __future__ import annotations

import os
import secrets
from typing import Any

import dj_database_url
import django
from django.conf import settings

settings.configure(
    DEBUG=False,
    ALLOWED_HOSTS=["*"],
    ROOT_URLCONF=__name__,
    SECRET_KEY=secrets.token_urlsafe(50),
    DATABASES={"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=600)},
    INSTALLED_APPS=[],
    MIDDLEWARE=[],
    USE_TZ=True,
)
django.setup()

from django.core.handlers.wsgi import WSGIRequest  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.db import models  # noqa: E402
from django.http import JsonResponse  # noqa: E402
from django.urls import path  # noqa: E402

ARTICLE_FIELDS = ("id", "title", "slug", "content", "published", "created_at", "updated_at")


class Author(models.Model):
    username = models.CharField(max_length=150)

    class Meta:
        app_label = "minimal"
        managed = False
        db_table = os.environ["USERS_TABLE"]


class Article(models.Model):
    title = models.CharField(max_length=200)
    slug = models.SlugField()
    content = models.TextField()
    published = models.BooleanField()
    author = models.ForeignKey(Author, models.DO_NOTHING)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        app_label = "minimal"
        managed = False
        db_table = os.environ["ARTICLES_TABLE"]


def health(_request: WSGIRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


def articles(request: WSGIRequest) -> JsonResponse:
    page, size = int(request.GET.get("page", 1)), int(request.GET.get("page_size", 20))
    published = Article.objects.filter(published=True)
    rows = published.order_by("-created_at", "-id").values(
        *ARTICLE_FIELDS, "author_id", "author__username"
    )[(page - 1) * size : page * size]
    count = published.count()
    results: list[dict[str, Any]] = []
    for row in rows:
        author = {"id": row.pop("author_id"), "username": row.pop("author__username")}
        results.append({**row, "author": author})
    base = request.build_absolute_uri(request.path)
    following = f"{base}?page={page + 1}&page_size={size}" if page * size < count else None
    previous = f"{base}?page={page - 1}&page_size={size}" if page > 1 else None
    return JsonResponse(
        {"count": count, "next": following, "previous": previous, "results": results}
    )


urlpatterns = [path("api/health", health), path("api/articles", articles)]
application = get_wsgi_application()
