"""HTTP in, HTTP out: the articles API."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Request, Response, status
from pydantic_core import to_json

from ..dependencies import SessionDep, resources_of
from ..errors import DomainError
from ..fields import NoNul
from ..json_body import LimitedJSONRoute
from ..pagination import Page, PageParams, page_links
from ..query_params import documented_query, parsed_query
from ..users.dependencies import CurrentUser, OptionalUser, Viewer
from . import services
from .errors import ArticleNotFound, NotArticleAuthor
from .models import Article
from .schemas import ArticleCreate, ArticleFilters, ArticlePublic, ArticleUpdate

router = APIRouter(prefix="/articles", tags=["articles"], route_class=LimitedJSONRoute)

NOT_FOUND = {"description": "No such article, or a draft of somebody else"}
FORBIDDEN = {"description": "The caller is not the author"}

Slug = Annotated[str, Path(max_length=255), NoNul]


STATUS_OF_ERROR: dict[type[DomainError], int] = {
    ArticleNotFound: status.HTTP_404_NOT_FOUND,
    NotArticleAuthor: status.HTTP_403_FORBIDDEN,
}


def http_error(error: DomainError) -> HTTPException:
    return HTTPException(STATUS_OF_ERROR[type(error)], detail=error.message)


class ArticleListQuery(ArticleFilters, PageParams):
    """Everything a list's query string may say, validated in one go."""


ListQuery = Annotated[ArticleListQuery, Depends(parsed_query(ArticleListQuery))]


@router.get(
    "",
    summary="List articles",
    response_model=Page[ArticlePublic],
    responses={404: {"description": "No page"}},
    openapi_extra=documented_query(ArticleListQuery),
)
async def list_articles(request: Request, query: ListQuery, viewer: Viewer) -> Response:
    """Published articles, plus the caller's own drafts, newest first."""
    # The resources from the request, not ResourcesDep: one dependency less to resolve on
    # every request of the busiest route.
    resources = resources_of(request)
    articles, count = await services.list_articles_on_engine(
        engine=resources.engine,
        viewer=viewer,
        filters=query,
        offset=query.offset,
        limit=query.page_size,
    )
    if query.page > 1 and query.offset >= count:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail="Invalid page.")
    next_url, previous_url = page_links(request, query, count)
    page = {"count": count, "next": next_url, "previous": previous_url, "results": articles}
    # The rows already have ArticlePublic's fields and types: serialised once, not validated
    # into models and then again against response_model (which stays for the schema).
    return Response(to_json(page), media_type="application/json")


@router.post(
    "",
    summary="Write an article",
    status_code=status.HTTP_201_CREATED,
    response_model=ArticlePublic,
    name="create_article",
)
async def create_article(
    data: ArticleCreate,
    request: Request,
    response: Response,
    session: SessionDep,
    author: CurrentUser,
) -> Article:
    article = await services.create_article(session=session, author=author, data=data)
    response.headers["Location"] = str(request.url_for("get_article", slug=article.slug))
    return article


@router.get(
    "/{slug}", summary="Read an article", response_model=ArticlePublic, responses={404: NOT_FOUND}
)
async def get_article(slug: Slug, session: SessionDep, viewer: OptionalUser) -> Article:
    try:
        return await services.get_article(session=session, slug=slug, viewer=viewer)
    except DomainError as error:
        raise http_error(error) from error


@router.patch(
    "/{slug}",
    summary="Edit an article",
    response_model=ArticlePublic,
    responses={403: FORBIDDEN, 404: NOT_FOUND},
)
async def update_article(
    slug: Slug, data: ArticleUpdate, session: SessionDep, editor: CurrentUser
) -> Article:
    try:
        return await services.update_article(session=session, slug=slug, editor=editor, data=data)
    except DomainError as error:
        raise http_error(error) from error


@router.delete(
    "/{slug}",
    summary="Delete an article",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses={403: FORBIDDEN, 404: NOT_FOUND},
)
async def delete_article(slug: Slug, session: SessionDep, editor: CurrentUser) -> None:
    try:
        await services.delete_article(session=session, slug=slug, editor=editor)
    except DomainError as error:
        raise http_error(error) from error
