"""Bearer tokens for REST framework views."""

from __future__ import annotations

from rest_framework import authentication, exceptions
from rest_framework.request import Request

from . import services
from .errors import InvalidToken
from .models import User


class BearerAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer <jwt>`; a bad token is 401, never an anonymous request."""

    keyword = "bearer"

    def authenticate(self, request: Request) -> tuple[User, str] | None:
        header = authentication.get_authorization_header(request).decode("latin-1")
        scheme, _, token = header.strip().partition(" ")
        if scheme.lower() != self.keyword:
            return None
        token = token.strip()
        if not token or " " in token:
            raise exceptions.AuthenticationFailed("Malformed Authorization header")
        try:
            user = services.decode_access_token(token=token)
        except InvalidToken:
            raise exceptions.AuthenticationFailed("Invalid or expired token") from None
        return user, token

    def authenticate_header(self, request: Request) -> str:
        return "Bearer"


def optional_user(request: Request) -> User | None:
    """The signed-in user, or None for an anonymous request."""
    return request.user if isinstance(request.user, User) else None


def required_user(request: Request) -> User:
    """The signed-in user; views that call this also require IsAuthenticated."""
    user = optional_user(request)
    if user is None:
        raise exceptions.NotAuthenticated()
    return user
