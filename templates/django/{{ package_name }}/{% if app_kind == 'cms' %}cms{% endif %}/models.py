"""The site's page types: the home page, the article index, and the articles in it."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.paginator import Page as ListPage
from django.core.paginator import Paginator
from django.db import models
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils import timezone
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from .blocks import BodyBlock
from .security import SITE_POLICY

ARTICLES_PER_PAGE = 10
INTRO_FEATURES = ["bold", "italic", "link"]


class SitePage(Page):
    """A page of the public site, answered with the site's strict Content-Security-Policy."""

    class Meta:
        abstract = True

    def serve(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response: HttpResponseBase = super().serve(request, *args, **kwargs)
        response.setdefault("Content-Security-Policy", SITE_POLICY)
        return response


class HomePage(SitePage):
    intro = RichTextField(blank=True, features=INTRO_FEATURES)
    body = StreamField(BodyBlock(), blank=True)

    content_panels = (*Page.content_panels, FieldPanel("intro"), FieldPanel("body"))
    search_fields = (*Page.search_fields, index.SearchField("intro"), index.SearchField("body"))
    parent_page_types = ("wagtailcore.Page",)
    subpage_types = ("cms.ArticleIndexPage",)
    max_count = 1

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context(request, *args, **kwargs)
        context["latest"] = latest_articles(limit=3)
        return context


class ArticleIndexPage(SitePage):
    intro = RichTextField(blank=True, features=INTRO_FEATURES)

    content_panels = (*Page.content_panels, FieldPanel("intro"))
    search_fields = (*Page.search_fields, index.SearchField("intro"))
    parent_page_types = ("cms.HomePage",)
    subpage_types = ("cms.ArticlePage",)

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context(request, *args, **kwargs)
        context["articles"] = self.articles(page=request.GET.get("page"))
        return context

    def articles(self, *, page: str | None) -> ListPage[ArticlePage]:
        """One page of the articles published under this index, newest first."""
        published = ArticlePage.objects.child_of(self).live().public().order_by("-date", "-pk")
        return Paginator(published, ARTICLES_PER_PAGE).get_page(page)


class ArticlePage(SitePage):
    date: models.DateField[datetime.date, datetime.date] = models.DateField(
        "Post date", default=timezone.localdate
    )
    intro: models.CharField[str, str] = models.CharField(
        max_length=250, help_text="One or two sentences for the lists."
    )
    body = StreamField(BodyBlock())
    feed_image: models.ForeignKey[Any, Any] = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Shown in the lists and the search results.",
    )

    content_panels = (
        *Page.content_panels,
        FieldPanel("date"),
        FieldPanel("intro"),
        FieldPanel("feed_image"),
        FieldPanel("body"),
    )
    search_fields = (*Page.search_fields, index.SearchField("intro"), index.SearchField("body"))
    parent_page_types = ("cms.ArticleIndexPage",)
    subpage_types = ()


def latest_articles(*, limit: int) -> list[ArticlePage]:
    return list(ArticlePage.objects.live().public().order_by("-date", "-pk")[:limit])
