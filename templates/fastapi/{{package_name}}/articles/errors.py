from ..errors import DomainError


class ArticleNotFound(DomainError):
    message = "No article with that slug."


class NotArticleAuthor(DomainError):
    message = "Only the author may change this article."
