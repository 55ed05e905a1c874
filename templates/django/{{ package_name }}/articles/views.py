"""Articles over HTTP: parse, call a service, answer."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, permissions, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ..core.exceptions import validated, validated_query
from ..core.pagination import paginate
from ..core.schema import error_responses
from ..users.authentication import optional_user, required_user
from . import services
from .errors import ArticleNotFound, NotArticleAuthor
from .serializers import (
    ArticleCreate,
    ArticleListQuery,
    ArticlePage,
    ArticlePublic,
    ArticleUpdate,
    public_articles,
)


class ReadOrAuthenticated(permissions.BasePermission):
    """Anyone may read; writing needs a signed-in user.

    A method the view does not offer passes, so that the answer is 405, not 401.
    """

    def has_permission(self, request: Request, view: APIView) -> bool:
        if request.method in permissions.SAFE_METHODS or request.method not in view.allowed_methods:
            return True
        return bool(request.user and request.user.is_authenticated)


def article_url(request: Request, slug: str) -> str:
    return request.build_absolute_uri(reverse("articles:detail", kwargs={"slug": slug}))


class ArticleListView(APIView):
    permission_classes = (ReadOrAuthenticated,)

    @extend_schema(
        operation_id="articles_list",
        summary="List articles",
        parameters=[ArticleListQuery],
        responses={200: ArticlePage, **error_responses(401, 404, 422)},
        tags=["articles"],
    )
    def get(self, request: Request) -> Response:
        query = validated_query(ArticleListQuery, request.query_params.dict())
        articles = services.list_articles(
            viewer=optional_user(request),
            search=query.get("search"),
            published=query["published"],
            author=query.get("author"),
        )
        page = paginate(
            articles,
            request=request,
            page=query["page"],
            page_size=query["page_size"],
            serialize=public_articles,
        )
        return Response(page)

    @extend_schema(
        summary="Write an article",
        request=ArticleCreate,
        responses={201: ArticlePublic, **error_responses(400, 401, 413, 422)},
        tags=["articles"],
    )
    def post(self, request: Request) -> Response:
        data = validated(ArticleCreate(data=request.data), location="body")
        article = services.create_article(author=required_user(request), **data)
        headers = {"Location": article_url(request, article.slug)}
        return Response(
            ArticlePublic(article).data, status=status.HTTP_201_CREATED, headers=headers
        )


class ArticleDetailView(APIView):
    permission_classes = (ReadOrAuthenticated,)

    @extend_schema(
        summary="Read an article",
        responses={200: ArticlePublic, **error_responses(401, 404)},
        tags=["articles"],
    )
    def get(self, request: Request, slug: str) -> Response:
        try:
            article = services.get_article(slug=slug, viewer=optional_user(request))
        except ArticleNotFound:
            raise exceptions.NotFound("Article not found") from None
        return Response(ArticlePublic(article).data)

    @extend_schema(
        summary="Change an article",
        request=ArticleUpdate,
        responses={200: ArticlePublic, **error_responses(400, 401, 403, 404, 413, 422)},
        tags=["articles"],
    )
    def patch(self, request: Request, slug: str) -> Response:
        changes = validated(ArticleUpdate(data=request.data, partial=True), location="body")
        try:
            article = services.update_article(
                slug=slug, editor=required_user(request), changes=changes
            )
        except ArticleNotFound:
            raise exceptions.NotFound("Article not found") from None
        except NotArticleAuthor:
            raise exceptions.PermissionDenied("Only the author may change this article") from None
        return Response(ArticlePublic(article).data)

    @extend_schema(
        summary="Delete an article",
        responses={204: None, **error_responses(401, 403, 404)},
        tags=["articles"],
    )
    def delete(self, request: Request, slug: str) -> Response:
        try:
            services.delete_article(slug=slug, editor=required_user(request))
        except ArticleNotFound:
            raise exceptions.NotFound("Article not found") from None
        except NotArticleAuthor:
            raise exceptions.PermissionDenied("Only the author may delete this article") from None
        return Response(status=status.HTTP_204_NO_CONTENT)
