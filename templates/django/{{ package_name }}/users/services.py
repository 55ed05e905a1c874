"""Accounts, access tokens and the refresh tokens that renew them."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
from django.conf import settings
from django.contrib import auth
from django.contrib.auth import password_validation
from django.db import IntegrityError, transaction

from ..core.errors import DomainError
from . import tokens
from .account_tokens import save_new_password, send_verification
from .errors import EmailTaken, InvalidCredentials, InvalidToken, UsernameTaken, WrongPassword
from .models import User

ALGORITHM = "HS256"
# A user id as the tokens carry it: the digits of a positive 64-bit integer.
USER_ID = re.compile(r"[1-9][0-9]{0,18}")
MAX_USER_ID = 2**63 - 1
# The jti of the tokens this server issues: token_urlsafe(16) is 22 characters.
JTI = re.compile(r"[A-Za-z0-9_-]{1,64}")
# exp and iat are seconds since 1970, before the year 10000 (what a datetime can hold).
MAX_TIMESTAMP = 253_402_300_799


@dataclass(frozen=True)
class AccessToken:
    value: str
    expires_in: int


@dataclass(frozen=True)
class TokenPair:
    access: AccessToken
    refresh_token: str


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
            send_verification(user)
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
    claims = {
        "sub": str(user.pk),
        "iat": issued_at,
        "exp": issued_at + lifetime,
        "jti": secrets.token_urlsafe(16),
    }
    value = jwt.encode(claims, settings.SECRET_KEY, algorithm=ALGORITHM)
    return AccessToken(value=value, expires_in=int(lifetime.total_seconds()))


def decode_access_token(*, token: str) -> User:
    """The active user a token was issued to; InvalidToken for anything else."""
    claims = access_token_claims(token=token)
    if (jti := claims.get("jti")) is not None and tokens.is_denied(jti):
        raise InvalidToken("the token was logged out")
    user = User.objects.filter(pk=user_id_claim(claims), is_active=True).first()
    if user is None:
        raise InvalidToken("the token's user no longer exists")
    return user


def access_token_claims(*, token: str) -> dict[str, Any]:
    """The claims of a token this server signed and that has not expired; InvalidToken else."""
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            settings.SECRET_KEY,
            algorithms=[ALGORITHM],
            options={"require": ["sub", "exp", "iat"]},
        )
    except (jwt.InvalidTokenError, ValueError, TypeError) as error:
        raise InvalidToken(str(error)) from None
    jti = claims.get("jti")
    if jti is not None and not (isinstance(jti, str) and JTI.fullmatch(jti)):
        raise InvalidToken("the jti claim is not a token id")
    return claims


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


def issue_tokens(*, user: User) -> TokenPair:
    """An access token and the first refresh token of a new login."""
    refresh_token, _ = tokens.new_refresh_token(user=user)
    return TokenPair(access=create_access_token(user=user), refresh_token=refresh_token)


def refresh_tokens(*, refresh_token: str) -> TokenPair:
    """A new pair for a valid refresh token, which stops working (rotation)."""
    user, replacement = tokens.rotate_refresh_token(value=refresh_token)
    return TokenPair(access=create_access_token(user=user), refresh_token=replacement)


def logout(*, user: User, access_token: str, refresh_token: str) -> None:
    """Revoke the refresh token and deny the access token until it expires."""
    claims = access_token_claims(token=access_token)
    tokens.revoke_refresh_token(user=user, value=refresh_token)
    if isinstance(jti := claims.get("jti"), str):
        expires_at = datetime.fromtimestamp(claims["exp"], tz=UTC)
        tokens.deny_access_token(jti=jti, expires_at=expires_at)


def change_password(*, user: User, current_password: str, new_password: str) -> None:
    """WrongPassword for a wrong current one, ValidationError for a weak new one."""
    if not user.check_password(current_password):
        raise WrongPassword(user.username)
    password_validation.validate_password(new_password, user)
    user.set_password(new_password)
    with transaction.atomic():
        save_new_password(user)
