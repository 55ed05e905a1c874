from ..errors import DomainError


class UsernameTaken(DomainError):
    message = "A user with that username already exists."


class EmailTaken(DomainError):
    message = "A user with that email already exists."


class InvalidCredentials(DomainError):
    message = "Incorrect username or password."


class InvalidToken(DomainError):
    message = "Could not validate credentials."
