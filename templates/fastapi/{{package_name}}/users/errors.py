from ..errors import DomainError


class UsernameTaken(DomainError):
    message = "A user with that username already exists."


class EmailTaken(DomainError):
    message = "A user with that email already exists."


class InvalidCredentials(DomainError):
    message = "Incorrect username or password."


class InvalidToken(DomainError):
    message = "Could not validate credentials."


class InvalidRefreshToken(DomainError):
    message = "Invalid, expired or revoked refresh token"


class WrongPassword(DomainError):
    message = "The current password is wrong"


class InvalidAccountToken(DomainError):
    message = "The token is invalid, used or expired"


class PasswordLikeUsername(DomainError):
    message = "The password must differ from the username"
