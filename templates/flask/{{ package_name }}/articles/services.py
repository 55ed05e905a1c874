"""Articles: keyword-only functions with the business rules; no HTTP here."""

from __future__ import annotations

import functools
import re
import secrets
import unicodedata
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, String, bindparam, func, or_, select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..pagination import Page, paginate, windowed
from ..schemas import utc
from ..users.models import User
from .errors import ArticleNotFound, NotArticleAuthor
from .models import Article

SLUG_BASE_MAX_LENGTH = 200
SLUG_ATTEMPTS = 20


def slugify(text: str, *, fallback: str = "article") -> str:
    """'Hello, World!' -> 'hello-world' (ASCII, lowercase, dashes); `fallback` when none is left."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:SLUG_BASE_MAX_LENGTH].rstrip("-") or fallback


def unique_slug(*, title: str) -> str:
    """slugify(title), with -2, -3... appended when it is already taken."""
    base = slugify(title)
    taken = set(
        db.session.scalars(
            select(Article.slug).where(or_(Article.slug == base, Article.slug.like(f"{base}-%")))
        )
    )
    if base not in taken:
        return base
    suffix = 2
    while f"{base}-{suffix}" in taken:
        suffix += 1
    return f"{base}-{suffix}"


def _visible_to(viewer_id: int | None) -> Select[Article]:
    return select(Article).where(_visibility(viewer_id))


def _visibility(viewer_id: int | None) -> ColumnElement[bool]:
    if viewer_id is None:
        return Article.published.is_(True)
    return or_(Article.published.is_(True), Article.author_id == viewer_id)


def list_articles(
    *,
    viewer_id: int | None,
    page: int,
    page_size: int,
    search: str | None = None,
    published: bool | None = None,
    author: str | None = None,
) -> Page[PublicArticle]:
    """Newest first; anonymous viewers see published ones, authors also their drafts."""
    count, rows = _list_statements(
        viewer=viewer_id is not None,
        search=bool(search),
        published=published is not None,
        author=bool(author),
    )
    parameters = {
        "viewer_id": viewer_id,
        "pattern": f"%{_escape_like(search)}%" if search else None,
        "published": published,
        "author": author,
    }
    return paginate(count, rows, parameters, page=page, page_size=page_size, item=_public)


# Only the columns an article object shows, as plain Core rows: building ORM objects
# and dumping them through marshmallow cost several times the queries themselves.
ARTICLES, USERS = Article.__table__.c, User.__table__.c
PUBLIC_COLUMNS = (
    ARTICLES.id,
    ARTICLES.title,
    ARTICLES.slug,
    ARTICLES.content,
    ARTICLES.published,
    ARTICLES.created_at,
    ARTICLES.updated_at,
    USERS.id,
    USERS.username,
)
PublicArticle = dict[str, Any]


@functools.cache
def _list_statements(
    *, viewer: bool, search: bool, published: bool, author: bool
) -> tuple[Select[int], Select[Any]]:
    """(count, rows) for one combination of filters, built once: the values are parameters."""
    visible: ColumnElement[bool] = ARTICLES.published.is_(True)
    if viewer:
        visible = or_(visible, ARTICLES.author_id == bindparam("viewer_id"))
    criteria = [visible]
    if search:
        pattern = bindparam("pattern", type_=String)
        criteria.append(
            or_(
                ARTICLES.title.ilike(pattern, escape="\\"),
                ARTICLES.content.ilike(pattern, escape="\\"),
            )
        )
    if published:
        criteria.append(ARTICLES.published == bindparam("published"))
    count = select(func.count()).select_from(Article.__table__)
    if author:
        criteria.append(USERS.username == bindparam("author"))
        count = count.join(User.__table__)
    rows = (
        select(*PUBLIC_COLUMNS)
        .join_from(Article.__table__, User.__table__)
        .where(*criteria)
        .order_by(ARTICLES.created_at.desc(), ARTICLES.id.desc())
    )
    count = count.where(*criteria)
    return count, windowed(rows, count)


def published_article(*, article_id: int) -> PublicArticle | None:
    """The article object of a published article, on a connection of its own.

    For code that runs once a transaction has committed, when the session may not query.
    """
    with db.engine.connect() as connection:
        row = connection.execute(_published_by_id(), {"article_id": article_id}).first()
    return None if row is None else _public((*row, None))


@functools.cache
def _published_by_id() -> Select[Any]:
    return (
        select(*PUBLIC_COLUMNS)
        .join_from(Article.__table__, User.__table__)
        .where(ARTICLES.id == bindparam("article_id"), ARTICLES.published.is_(True))
    )


def _public(row: Sequence[Any]) -> PublicArticle:
    """The contract's article object from a row of PUBLIC_COLUMNS (and the count, ignored)."""
    id_, title, slug, content, published, created_at, updated_at, author_id, username, _ = row
    return {
        "id": id_,
        "title": title,
        "slug": slug,
        "content": content,
        "published": published,
        "author": {"id": author_id, "username": username},
        "created_at": utc(created_at),
        "updated_at": utc(updated_at),
    }


def _unstorable(text: str) -> bool:
    # No stored text contains NUL, and PostgreSQL refuses it in a query.
    return "\x00" in text


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def get_article(*, slug: str, viewer_id: int | None) -> Article:
    if _unstorable(slug):
        raise ArticleNotFound
    article = db.session.scalar(_visible_to(viewer_id).where(Article.slug == slug))
    if article is None:
        raise ArticleNotFound
    return article


def create_article(*, author: User, title: str, content: str, published: bool = False) -> Article:
    article = Article(title=title, content=content, published=published, author=author)
    for attempt in range(SLUG_ATTEMPTS):
        article.slug = (
            unique_slug(title=title) if attempt < SLUG_ATTEMPTS - 1 else _random_slug(title)
        )
        try:
            # A savepoint: a collision undoes this insert only, not the transaction.
            with db.session.begin_nested():
                db.session.add(article)
        except IntegrityError:
            continue  # another request took the slug between our check and insert
        db.session.commit()
        return article
    raise RuntimeError("could not find a free slug")


def _random_slug(title: str) -> str:
    return f"{slugify(title)}-{secrets.token_hex(4)}"


def _editable(*, slug: str, editor: User) -> Article:
    article = get_article(slug=slug, viewer_id=editor.id)
    if article.author_id != editor.id:
        raise NotArticleAuthor
    return article


def update_article(
    *,
    slug: str,
    editor: User,
    title: str | None = None,
    content: str | None = None,
    published: bool | None = None,
) -> Article:
    """Change the given fields; the slug stays as it was."""
    article = _editable(slug=slug, editor=editor)
    if title is not None:
        article.title = title
    if content is not None:
        article.content = content
    if published is not None:
        article.published = published
    db.session.commit()
    return article


def delete_article(*, slug: str, editor: User) -> None:
    article = _editable(slug=slug, editor=editor)
    db.session.delete(article)
    db.session.commit()
