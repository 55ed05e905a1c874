"""Who is calling: the bearer token of the request, turned into a User or a 401."""

from __future__ import annotations

from flask import current_app, g, request
from werkzeug.datastructures import WWWAuthenticate
from werkzeug.exceptions import Unauthorized

from .errors import InvalidToken
from .models import User
from .services import AccessToken, read_access_token

SECURITY: list[dict[str, list[str]]] = [{"OAuth2PasswordBearer": []}]


def unauthorized(message: str) -> Unauthorized:
    return Unauthorized(message, www_authenticate=WWWAuthenticate("Bearer"))


def _bearer_token() -> str | None:
    header = request.headers.get("Authorization")
    if header is None:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise unauthorized(InvalidToken().message)
    return token.strip()


def optional_user() -> User | None:
    """The caller, None when anonymous; a bad token is still a 401."""
    if "current_user" in g:
        cached: User | None = g.current_user
        return cached
    token = _bearer_token()
    user = None
    if token is not None:
        try:
            access = read_access_token(token=token, secret_key=current_app.config["SECRET_KEY"])
        except InvalidToken as error:
            raise unauthorized(error.message) from None
        g.access_token = access
        user = access.user
    g.current_user = user
    return user


def current_user() -> User:
    """The authenticated caller, or a 401 with WWW-Authenticate: Bearer."""
    user = optional_user()
    if user is None:
        raise unauthorized("Not authenticated")
    return user


def current_access_token() -> AccessToken:
    """The caller's valid access token (its jti and expiry), or a 401."""
    current_user()
    access: AccessToken = g.access_token
    return access
