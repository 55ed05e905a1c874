"""Every table, so that Alembic and the tests see the complete metadata."""

from .articles.models import Article
from .db import Base
from .users.models import AccountToken, DeniedAccessToken, RefreshToken, User

__all__ = ["AccountToken", "Article", "Base", "DeniedAccessToken", "RefreshToken", "User"]
