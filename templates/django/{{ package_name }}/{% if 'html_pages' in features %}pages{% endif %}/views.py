"""Server-rendered pages over the same services as the API."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from ..articles import services
from ..articles.errors import ArticleNotFound
from ..users.models import User

PAGE_SIZE = 10


def current_user(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


def article_list(request: HttpRequest) -> HttpResponse:
    articles = services.list_articles(
        viewer=current_user(request), search=request.GET.get("search") or None
    )
    page = Paginator(articles, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "search": request.GET.get("search", "")}
    return render(request, "pages/article_list.html", context)


def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        article = services.get_article(slug=slug, viewer=current_user(request))
    except ArticleNotFound:
        raise Http404("No such article") from None
    return render(request, "pages/article_detail.html", {"article": article})
