"""HTML in the browser: the list of published articles and one article."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from ..articles import services
from ..articles.errors import ArticleNotFound
from ..articles.schemas import ArticleFilters
from ..dependencies import SessionDep

PAGE_SIZE = 10

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
# Scripts every page loads; optional features add theirs.
templates.env.globals["page_scripts"] = []


@router.get("/", name="article_list")
async def article_list(
    request: Request, session: SessionDep, page: Annotated[int, Query(ge=1)] = 1
) -> HTMLResponse:
    articles, count = await services.list_articles(
        session=session,
        viewer=None,
        filters=ArticleFilters(published=True),
        offset=(page - 1) * PAGE_SIZE,
        limit=PAGE_SIZE,
    )
    context = {
        "articles": articles,
        "page": page,
        "has_next": page * PAGE_SIZE < count,
        "has_previous": page > 1,
    }
    status_code = 404 if page > 1 and not articles else 200
    return templates.TemplateResponse(request, "article_list.html", context, status_code)


@router.get("/articles/{slug}", name="article_detail")
async def article_detail(request: Request, slug: str, session: SessionDep) -> HTMLResponse:
    try:
        article = await services.get_article(session=session, slug=slug, viewer=None)
    except ArticleNotFound:
        return templates.TemplateResponse(request, "not_found.html", {}, status_code=404)
    return templates.TemplateResponse(request, "article_detail.html", {"article": article})
