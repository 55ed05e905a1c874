"""Every table, so that Alembic and the tests see the complete metadata."""

from .articles.models import Article
from .db import Base
from .users.models import User

__all__ = ["Article", "Base", "User"]
