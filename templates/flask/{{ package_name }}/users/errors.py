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


class InvalidRefreshToken(DomainError):
    """The refresh token is unknown, expired or revoked."""


class WrongPassword(DomainError):
    """The current password is wrong."""


class InvalidAccountToken(DomainError):
    """The link is invalid, expired or already used."""


class PasswordLikeUsername(DomainError):
    """The password must differ from the username."""
