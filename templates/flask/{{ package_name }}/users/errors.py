from ..errors import DomainError


class UsernameTaken(DomainError):
    """A user with this username already exists."""


class EmailTaken(DomainError):
    """A user with this email already exists."""


class InvalidCredentials(DomainError):
    """Incorrect username or password."""


class InvalidToken(DomainError):
    """The access token is missing, malformed, expired or revoked."""


class LoginThrottled(DomainError):
    """Too many failed attempts; try again later."""

    def __init__(self, retry_after: int) -> None:
        super().__init__()
        self.retry_after = retry_after
