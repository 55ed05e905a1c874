from ..errors import DomainError


class ArticleNotFound(DomainError):
    """Article not found."""


class NotArticleAuthor(DomainError):
    """Only the author may change or delete this article."""
