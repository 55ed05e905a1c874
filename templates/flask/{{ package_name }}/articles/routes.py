from __future__ import annotations

from typing import Any

from flask import Response, url_for
from flask.views import MethodView
from werkzeug.exceptions import Forbidden, NotFound

from ..api import Blueprint
from ..json_provider import json_response
from ..pagination import page_body
from ..users.auth import SECURITY, current_user, optional_user
from .errors import ArticleNotFound, NotArticleAuthor
from .models import Article
from .schemas import ArticleCreate, ArticlePage, ArticlePublic, ArticleQuery, ArticleUpdate
from .services import create_article, delete_article, get_article, list_articles, update_article

blp = Blueprint("articles", __name__, url_prefix="/api/articles", description="Articles")


@blp.route("")
class Articles(MethodView):
    @blp.doc(operationId="list_articles", security=[{}, *SECURITY])
    @blp.arguments(ArticleQuery, location="query")
    @blp.response(200, ArticlePage)
    @blp.alt_response(404, description="The page is past the end")
    def get(self, query: dict[str, Any]) -> Response:
        """Published articles, plus the caller's own drafts; newest first."""
        viewer = optional_user()
        page = list_articles(viewer_id=viewer.id if viewer else None, **query)
        if page.is_past_the_end:
            raise NotFound("Page not found")
        # The items are already the contract's objects: no schema dump (ArticlePage documents them).
        return json_response(page_body(page))

    @blp.doc(operationId="create_article", security=SECURITY)
    @blp.arguments(ArticleCreate)
    @blp.response(201, ArticlePublic)
    @blp.alt_response(401, description="Not authenticated")
    def post(self, data: dict[str, Any]) -> tuple[Article, int, dict[str, str]]:
        """Write an article; the slug is made from the title."""
        article = create_article(author=current_user(), **data)
        location = url_for("articles.ArticleDetail", slug=article.slug, _external=True)
        return article, 201, {"Location": location}


@blp.route("/<slug>")
class ArticleDetail(MethodView):
    @blp.doc(operationId="get_article", security=[{}, *SECURITY])
    @blp.response(200, ArticlePublic)
    @blp.alt_response(404, description="No such article (or somebody else's draft)")
    def get(self, slug: str) -> Article:
        """One article (a draft only for its author)."""
        viewer = optional_user()
        try:
            return get_article(slug=slug, viewer_id=viewer.id if viewer else None)
        except ArticleNotFound as error:
            raise NotFound(error.message) from None

    @blp.doc(operationId="update_article", security=SECURITY)
    @blp.arguments(ArticleUpdate)
    @blp.response(200, ArticlePublic)
    @blp.alt_response(403, description="Not the author")
    @blp.alt_response(404, description="No such article")
    def patch(self, data: dict[str, Any], slug: str) -> Article:
        """Change an article; the author only."""
        editor = current_user()
        try:
            return update_article(slug=slug, editor=editor, **data)
        except ArticleNotFound as error:
            raise NotFound(error.message) from None
        except NotArticleAuthor as error:
            raise Forbidden(error.message) from None

    @blp.doc(operationId="delete_article", security=SECURITY)
    @blp.response(204)
    @blp.alt_response(403, description="Not the author")
    @blp.alt_response(404, description="No such article")
    def delete(self, slug: str) -> None:
        """Delete an article; the author only."""
        editor = current_user()
        try:
            delete_article(slug=slug, editor=editor)
        except ArticleNotFound as error:
            raise NotFound(error.message) from None
        except NotArticleAuthor as error:
            raise Forbidden(error.message) from None
