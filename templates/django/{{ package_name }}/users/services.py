"""Accounts and access tokens."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
from django.conf import settings
from django.contrib import auth
from django.db import IntegrityError, transaction

from ..core.errors import DomainError
from .errors import EmailTaken, InvalidCredentials, InvalidToken, UsernameTaken
from .models import User

ALGORITHM = "HS256"
# A user id as the tokens carry it: the digits of a positive 64-bit integer.
USER_ID = re.compile(r"[1-9][0-9]{0,18}")
MAX_USER_ID = 2**63 - 1
# exp and iat are seconds since 1970, before the year 10000 (what a datetime can hold).
MAX_TIMESTAMP = 253_402_300_799


@dataclass(frozen=True)
class AccessToken:
    value: str
    expires_in: int


def register_user(*, username: str, email: str, password: str) -> User:
    """Create an account; usernames are unique as typed, emails ignoring case."""
    if (conflict := _conflict(username=username, email=email)) is not None:
        raise conflict
    user = User(
        username=User.normalize_username(username), email=User.objects.normalize_email(email)
    )
    user.set_password(password)  # hashing is slow: outside the transaction that takes a lock
    try:
        with transaction.atomic():
            user.save()
            return user
    except IntegrityError:
        # Another request registered the same name between the check and the insert.
        raise _conflict(username=username, email=email) or EmailTaken(email) from None


def _conflict(*, username: str, email: str) -> DomainError | None:
    if User.objects.filter(username=username).exists():
        return UsernameTaken(username)
    if User.objects.filter(email__iexact=email).exists():
        return EmailTaken(email)
    return None


def authenticate(*, username: str, password: str) -> User:
    user = auth.authenticate(username=username, password=password)
    if not isinstance(user, User):
        raise InvalidCredentials(username)
    return user


def create_access_token(*, user: User, now: datetime | None = None) -> AccessToken:
    issued_at = now or datetime.now(UTC)
    lifetime = timedelta(minutes=settings.ACCESS_TOKEN_EXPIRE_MINUTES)
    claims = {"sub": str(user.pk), "iat": issued_at, "exp": issued_at + lifetime}
    value = jwt.encode(claims, settings.SECRET_KEY, algorithm=ALGORITHM)
    return AccessToken(value=value, expires_in=int(lifetime.total_seconds()))


def decode_access_token(*, token: str) -> User:
    """The active user a token was issued to; InvalidToken for anything else."""
    try:
        claims = jwt.decode(
            token,
            settings.SECRET_KEY,
            algorithms=[ALGORITHM],
            options={"require": ["sub", "exp", "iat"]},
        )
    except (jwt.InvalidTokenError, ValueError, TypeError) as error:
        raise InvalidToken(str(error)) from None
    user = User.objects.filter(pk=user_id_claim(claims), is_active=True).first()
    if user is None:
        raise InvalidToken("the token's user no longer exists")
    return user


def user_id_claim(claims: dict[str, Any]) -> int:
    """The user id of validly signed claims, refusing any claim of the wrong type or range."""
    for name in ("exp", "iat"):
        value = claims[name]
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise InvalidToken(f"the {name} claim is not a number")
        if not 0 <= value <= MAX_TIMESTAMP:
            raise InvalidToken(f"the {name} claim is out of range")
    subject = claims["sub"]
    if not isinstance(subject, str) or not USER_ID.fullmatch(subject):
        raise InvalidToken("the sub claim is not a user id")
    user_id = int(subject)
    if user_id > MAX_USER_ID:
        raise InvalidToken("the sub claim is not a user id")
    return user_id
