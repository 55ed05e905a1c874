"""The site's search page, over the search index Wagtail keeps of the live pages."""

from __future__ import annotations

import re

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from wagtail.models import Page
from wagtail.search.query import PlainText

RESULTS_PER_PAGE = 10
# Longer queries are cut: a search term, not a document.
MAX_QUERY_LENGTH = 200
WORD = re.compile(r"\w+")


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    # Words only, searched as plain text: quotes and operators would reach the database's
    # full-text syntax (an unbalanced quote is an SQLite error).
    words = " ".join(WORD.findall(query))
    pages = Page.objects.live().public().specific()
    found = pages.search(PlainText(words, operator="and")) if words else Page.objects.none()
    results = Paginator(found, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "cms/search.html", {"query": query, "results": results})
