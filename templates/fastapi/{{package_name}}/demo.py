"""Demo users and articles for trying the service out (`make demo`); loading twice adds nothing."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from .articles.models import Article
from .articles.schemas import ArticleCreate
from .articles.services import create_article
from .users.models import User
from .users.passwords import PasswordHasher
from .users.schemas import UserCreate
from .users.services import register_user

DEMO_PASSWORD = "demo-password"
DEMO_USERS = (("ada", "ada@example.com"), ("grace", "grace@example.com"))
# (author, title, content, published)
DEMO_ARTICLES = (
    ("ada", "Notes on the Analytical Engine", "It might act on other things than number.", True),
    ("ada", "A draft about looms", "Only Ada sees this one until she publishes it.", False),
    ("grace", "The first bug", "A moth, found in relay 70 of panel F.", True),
    ("grace", "Compilers for everyone", "Programs in words, not in octal.", True),
)


async def load_demo(*, session: AsyncSession, passwords: PasswordHasher) -> list[str]:
    """Create what is missing of the demo data; returns the demo usernames."""
    users = {
        username: await _user(session, passwords, username, email) for username, email in DEMO_USERS
    }
    for author, title, content, published in DEMO_ARTICLES:
        await _article(session, users[author], title, content, published=published)
    return list(users)


async def _user(
    session: AsyncSession, passwords: PasswordHasher, username: str, email: str
) -> User:
    user = await session.scalar(select(User).where(User.username == username))
    if user is not None:
        return user
    data = UserCreate(username=username, email=email, password=DEMO_PASSWORD)
    return await register_user(session=session, data=data, passwords=passwords)


async def _article(
    session: AsyncSession, author: User, title: str, content: str, *, published: bool
) -> None:
    exists = await session.scalar(
        select(Article.id).where(Article.author_id == author.id, Article.title == title)
    )
    if exists is None:
        data = ArticleCreate(title=title, content=content, published=published)
        await create_article(session=session, author=author, data=data)
