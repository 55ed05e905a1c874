"""What can go wrong with accounts and tokens."""

from ..core.errors import DomainError


class UsernameTaken(DomainError):
    pass


class EmailTaken(DomainError):
    pass


class InvalidCredentials(DomainError):
    pass


class InvalidToken(DomainError):
    pass


class WrongPassword(DomainError):
    pass
