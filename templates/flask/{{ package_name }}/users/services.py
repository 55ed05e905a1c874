"""Accounts and access tokens: keyword-only functions, domain errors, no HTTP."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from .errors import EmailTaken, InvalidCredentials, InvalidToken, LoginThrottled, UsernameTaken
from .models import User
from .passwords import hash_password, needs_rehash, verify_password
from .throttle import LoginThrottle

TOKEN_ALGORITHM = "HS256"
# `sub` is a positive user id that fits the database's INTEGER column.
USER_ID = re.compile(r"[1-9][0-9]{0,9}")
MAX_USER_ID = 2**31 - 1
MAX_TIMESTAMP = 2**53


def register_user(*, username: str, email: str, password: str, is_staff: bool = False) -> User:
    """Create an account; UsernameTaken / EmailTaken (case-insensitive) on collision."""
    _ensure_available(username=username, email=email)
    user = User(
        username=username,
        email=email,
        password_hash=hash_password(password),
        is_staff=is_staff,
    )
    db.session.add(user)
    try:
        db.session.commit()
    except IntegrityError:
        # A concurrent registration won: the unique indexes (lower(email) too) decide.
        db.session.rollback()
        _ensure_available(username=username, email=email)
        raise EmailTaken from None
    return user


def make_staff(*, username: str, email: str, password: str) -> bool:
    """Promote the user called `username` (new password too), or create it; True if created."""
    user = get_user_by_username(username=username)
    if user is None:
        register_user(username=username, email=email, password=password, is_staff=True)
        return True
    user.is_staff = True
    user.password_hash = hash_password(password)
    db.session.commit()
    return False


def _ensure_available(*, username: str, email: str) -> None:
    if db.session.scalar(select(User.id).where(User.username == username)) is not None:
        raise UsernameTaken
    same_email = select(User.id).where(func.lower(User.email) == email.lower())
    if db.session.scalar(same_email) is not None:
        raise EmailTaken


def get_user(*, user_id: int) -> User | None:
    return db.session.get(User, user_id)


def get_user_by_username(*, username: str) -> User | None:
    return db.session.scalar(select(User).where(User.username == username))


def authenticate(*, username: str, password: str) -> User:
    """The user with these credentials, or InvalidCredentials."""
    user = get_user_by_username(username=username)
    if not verify_password(user.password_hash if user else None, password) or user is None:
        raise InvalidCredentials
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
        db.session.commit()
    return user


def authenticate_throttled(
    *, username: str, password: str, client_ip: str, throttle: LoginThrottle
) -> User:
    """authenticate(), counted by the throttle before the password is checked."""
    retry_after = throttle.reserve(username=username, client_ip=client_ip)
    if retry_after is not None:
        raise LoginThrottled(retry_after)
    user = authenticate(username=username, password=password)
    throttle.reset(username=username, client_ip=client_ip)
    return user


def create_access_token(
    *, user: User, secret_key: str, expires_in: timedelta, now: datetime | None = None
) -> str:
    issued_at = now or datetime.now(UTC)
    claims = {
        "sub": str(user.id),
        "iat": issued_at,
        "exp": issued_at + expires_in,
        "jti": uuid.uuid4().hex,
    }
    return jwt.encode(claims, secret_key, algorithm=TOKEN_ALGORITHM)


def _user_id(claims: dict[str, Any]) -> int:
    """The id in `sub`, once every claim has the type and range it must have."""
    if not all(_is_timestamp(claims[name]) for name in ("exp", "iat")):
        raise InvalidToken
    subject = claims["sub"]
    if not isinstance(subject, str) or not USER_ID.fullmatch(subject):
        raise InvalidToken
    user_id = int(subject)
    if user_id > MAX_USER_ID:
        raise InvalidToken
    return user_id


def _is_timestamp(value: object) -> bool:
    # NaN and infinities compare False; bools are ints to Python, not to JWT.
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return 0 <= value < MAX_TIMESTAMP


@dataclass(frozen=True)
class AccessToken:
    """A valid access token: whose it is, its id (jti) and when it expires."""

    user: User
    jti: str
    expires_at: datetime


def decode_access_token(*, token: str, secret_key: str) -> User:
    """The user a valid token belongs to; InvalidToken for anything else."""
    return read_access_token(token=token, secret_key=secret_key).user


def read_access_token(*, token: str, secret_key: str) -> AccessToken:
    """A valid, not logged-out token; InvalidToken for anything else."""
    from .lifecycle import is_denied

    try:
        claims = jwt.decode(
            token,
            secret_key,
            algorithms=[TOKEN_ALGORITHM],
            options={"require": ["exp", "iat", "sub", "jti"]},
        )
    except (jwt.PyJWTError, ValueError, TypeError, RecursionError):
        raise InvalidToken from None
    user_id = _user_id(claims)
    jti = claims["jti"]
    if not isinstance(jti, str) or not 0 < len(jti) <= 64 or is_denied(jti):
        raise InvalidToken
    user = get_user(user_id=user_id)
    if user is None:
        raise InvalidToken
    return AccessToken(user, jti, datetime.fromtimestamp(claims["exp"], UTC))
