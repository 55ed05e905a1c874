"""The rules for articles: who sees what, who may change what, and how slugs are made."""

from __future__ import annotations

import re
import secrets
import unicodedata
from datetime import datetime
from typing import TypedDict

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession

from .. import driver
from ..users.models import User
from . import queries
from .errors import ArticleNotFound, NotArticleAuthor
from .models import SLUG_MAX_LENGTH, Article
from .schemas import ArticleCreate, ArticleFilters, ArticleUpdate

FALLBACK_SLUG = "article"
# First the next free `-N` suffix; after that many collisions, a random one.
ORDERED_SLUG_ATTEMPTS = 3
SLUG_ATTEMPTS = 8


def slugify(text: str, *, fallback: str = FALLBACK_SLUG) -> str:
    """`Hello, World!` -> `hello-world`: ASCII letters and digits joined by dashes."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    # Leave room for a numeric suffix.
    return slug[: SLUG_MAX_LENGTH - 10].rstrip("-") or fallback


async def unique_slug(*, session: AsyncSession, title: str) -> str:
    """The slug of the title, with the first free `-2`, `-3`... suffix when it is taken."""
    base = slugify(title)
    taken = set(
        await session.scalars(
            select(Article.slug).where(or_(Article.slug == base, Article.slug.like(f"{base}-%")))
        )
    )
    if base not in taken:
        return base
    suffix = 2
    while f"{base}-{suffix}" in taken:
        suffix += 1
    return f"{base}-{suffix}"


def _visible_to(viewer: User | None) -> ColumnElement[bool]:
    if viewer is None:
        return Article.published.is_(True)
    return or_(Article.published.is_(True), Article.author_id == viewer.id)


class ListedAuthor(TypedDict):
    id: int
    username: str


class ListedArticle(TypedDict):
    """An article as a list shows it: the fields of ArticlePublic."""

    id: int
    title: str
    slug: str
    content: str
    published: bool
    author: ListedAuthor
    created_at: datetime
    updated_at: datetime


def _list_query(
    filters: ArticleFilters, viewer: User | None
) -> tuple[queries.ListShape, dict[str, object]]:
    """Which statement the list needs, and the values for its parameters."""
    parameters: dict[str, object] = {}
    if viewer is not None:
        parameters["viewer_id"] = viewer.id
    if filters.search:
        parameters["pattern"] = "%" + re.sub(r"([\\%_])", r"\\\1", filters.search) + "%"
    if filters.author is not None:
        parameters["author"] = filters.author
    shape = queries.ListShape(
        signed_in=viewer is not None,
        search=bool(filters.search),
        published=filters.published,
        author=filters.author is not None,
    )
    return shape, parameters


async def list_articles(
    *,
    session: AsyncSession,
    viewer: User | None,
    filters: ArticleFilters,
    offset: int,
    limit: int,
) -> tuple[list[ListedArticle], int]:
    """One page of the articles the viewer may see, newest first, and how many there are."""
    connection = await session.connection()
    return await _list_on(connection, viewer, filters, offset=offset, limit=limit)


async def list_articles_on_engine(
    *,
    engine: AsyncEngine,
    viewer: User | None,
    filters: ArticleFilters,
    offset: int,
    limit: int,
) -> tuple[list[ListedArticle], int]:
    """list_articles outside any session, on a connection held for the two queries only.

    A connection kept until the response is sent would keep more of them checked out than
    the pool holds when the process is busy, and the pool would open and close its overflow
    connections on every request.
    """
    async with engine.connect() as connection:
        return await _list_on(connection, viewer, filters, offset=offset, limit=limit)


async def _list_on(
    connection: AsyncConnection,
    viewer: User | None,
    filters: ArticleFilters,
    *,
    offset: int,
    limit: int,
) -> tuple[list[ListedArticle], int]:
    shape, parameters = _list_query(filters, viewer)
    paged = {**parameters, "offset": offset, "limit": limit}
    rows = await driver.fetch_all(connection, queries.page_statement(shape), paged)
    if rows:
        count: int = rows[0]["total"]
    elif offset == 0:
        count = 0
    else:  # past the end, or the list shrank: the page says nothing of how long it is
        count = await driver.fetch_value(connection, queries.count_statement(shape), parameters)
    return [_listed(row) for row in rows], count


def _listed(row: driver.Row) -> ListedArticle:
    return {
        "id": row["id"],
        "title": row["title"],
        "slug": row["slug"],
        "content": row["content"],
        "published": row["published"],
        "author": {"id": row["author_id"], "username": row["author_username"]},
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
    }


async def get_article(*, session: AsyncSession, slug: str, viewer: User | None) -> Article:
    """The article, unless it is missing or somebody else's draft."""
    article = await session.scalar(select(Article).where(Article.slug == slug, _visible_to(viewer)))
    if article is None:
        raise ArticleNotFound
    return article


async def create_article(*, session: AsyncSession, author: User, data: ArticleCreate) -> Article:
    for attempt in range(1, SLUG_ATTEMPTS + 1):
        if attempt <= ORDERED_SLUG_ATTEMPTS:
            slug = await unique_slug(session=session, title=data.title)
        else:  # many writers want this title at once: stop queueing behind each other
            slug = f"{slugify(data.title)}-{secrets.token_hex(4)}"
        article = Article(**data.model_dump(), slug=slug, author=author)
        session.add(article)
        try:
            await session.commit()
        except IntegrityError:
            # Another request took the same slug at the same moment: pick another one.
            await session.rollback()
            if attempt == SLUG_ATTEMPTS:
                raise
            await session.refresh(author)
        else:
            return article
    raise AssertionError("unreachable")  # pragma: no cover


async def _editable_article(*, session: AsyncSession, slug: str, editor: User) -> Article:
    article = await get_article(session=session, slug=slug, viewer=editor)
    if article.author_id != editor.id:
        raise NotArticleAuthor
    return article


async def update_article(
    *, session: AsyncSession, slug: str, editor: User, data: ArticleUpdate
) -> Article:
    article = await _editable_article(session=session, slug=slug, editor=editor)
    for field, value in data.model_dump(exclude_unset=True).items():
        setattr(article, field, value)
    await session.commit()
    return article


async def delete_article(*, session: AsyncSession, slug: str, editor: User) -> None:
    article = await _editable_article(session=session, slug=slug, editor=editor)
    await session.delete(article)
    await session.commit()
