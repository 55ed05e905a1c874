"""What can go wrong with articles."""

from ..core.errors import DomainError


class ArticleNotFound(DomainError):
    pass


class NotArticleAuthor(DomainError):
    pass
