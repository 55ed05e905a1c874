"""The rules for articles: who sees what, who may change what, and how slugs are made."""

from __future__ import annotations

import re
import secrets
import unicodedata
from collections.abc import Sequence

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from ..users.models import User
from .errors import ArticleNotFound, NotArticleAuthor
from .models import SLUG_MAX_LENGTH, Article
from .schemas import ArticleCreate, ArticleFilters, ArticleUpdate

FALLBACK_SLUG = "article"
# First the next free `-N` suffix; after that many collisions, a random one.
ORDERED_SLUG_ATTEMPTS = 3
SLUG_ATTEMPTS = 8


def slugify(text: str) -> str:
    """`Hello, World!` -> `hello-world`: ASCII letters and digits joined by dashes."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    # Leave room for a numeric suffix.
    return slug[: SLUG_MAX_LENGTH - 10].rstrip("-") or FALLBACK_SLUG


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


def _conditions(filters: ArticleFilters, viewer: User | None) -> list[ColumnElement[bool]]:
    conditions = [_visible_to(viewer)]
    if filters.search:
        pattern = "%" + re.sub(r"([\\%_])", r"\\\1", filters.search) + "%"
        conditions.append(
            or_(
                Article.title.ilike(pattern, escape="\\"),
                Article.content.ilike(pattern, escape="\\"),
            )
        )
    if filters.published is not None:
        conditions.append(Article.published.is_(filters.published))
    if filters.author is not None:
        author_id = select(User.id).where(User.username == filters.author).scalar_subquery()
        conditions.append(Article.author_id == author_id)
    return conditions


async def list_articles(
    *,
    session: AsyncSession,
    viewer: User | None,
    filters: ArticleFilters,
    offset: int,
    limit: int,
) -> tuple[Sequence[Article], int]:
    """One page of the articles the viewer may see, newest first, and how many there are."""
    conditions = _conditions(filters, viewer)
    count = await session.scalar(select(func.count(Article.id)).where(*conditions))
    query = (
        select(Article)
        .where(*conditions)
        .order_by(Article.created_at.desc(), Article.id.desc())
        .offset(offset)
        .limit(limit)
    )
    return (await session.scalars(query)).all(), count or 0


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
