"""Accounts and access tokens: keyword-only functions that raise domain errors."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import jwt
from sqlalchemy import exists, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from .account_tokens import save_new_password
from .errors import (
    EmailTaken,
    InvalidCredentials,
    InvalidToken,
    PasswordLikeUsername,
    UsernameTaken,
    WrongPassword,
)
from .models import DeniedAccessToken, User
from .passwords import PasswordHasher
from .schemas import UserCreate

# Ids are 32-bit integers in every supported database.
MAX_USER_ID = 2**31 - 1
MAX_TIMESTAMP = 253_402_300_799  # 9999-12-31T23:59:59Z
# The jti of the tokens this server issues: token_urlsafe(16) is 22 characters.
JTI = re.compile(r"[A-Za-z0-9_-]{1,64}")


@dataclass(frozen=True)
class AccessClaims:
    """What a valid access token says: whose it is, its id and when it expires."""

    user_id: int
    jti: str | None
    expires_at: datetime


async def register_user(
    *,
    session: AsyncSession,
    data: UserCreate,
    passwords: PasswordHasher,
    staff: bool = False,
) -> User:
    await _ensure_available(session=session, username=data.username, email=data.email)
    user = User(
        username=data.username,
        email=data.email,
        hashed_password=await passwords.hash(data.password),
        is_staff=staff,
        is_superuser=staff,
    )
    session.add(user)
    try:
        await session.commit()
    except IntegrityError:
        # Somebody registered the same name between the check and the insert.
        await session.rollback()
        await _ensure_available(session=session, username=data.username, email=data.email)
        raise
    return user


async def _ensure_available(*, session: AsyncSession, username: str, email: str) -> None:
    if await session.scalar(select(User.id).where(User.username == username)):
        raise UsernameTaken
    if await session.scalar(select(User.id).where(func.lower(User.email) == email.lower())):
        raise EmailTaken


async def authenticate(
    *, session: AsyncSession, username: str, password: str, passwords: PasswordHasher
) -> User:
    # A name with NUL cannot exist (and PostgreSQL would refuse to compare it).
    user = None
    if "\x00" not in username:
        user = await session.scalar(select(User).where(User.username == username))
    if user is None:
        await passwords.verify_against_nothing(password)
        raise InvalidCredentials
    if not await passwords.verify(password, user.hashed_password) or not user.is_active:
        raise InvalidCredentials
    return user


async def get_active_user(*, session: AsyncSession, claims: AccessClaims) -> User:
    """The token's user, unless it is gone, inactive, or the token was logged out.

    One query: the denial check rides along as NOT EXISTS on the primary key of its table.
    """
    query = select(User).where(User.id == claims.user_id, User.is_active)
    if claims.jti is not None:
        query = query.where(~exists().where(DeniedAccessToken.jti == claims.jti))
    user = await session.scalar(query)
    if user is None:
        raise InvalidToken
    return user


def create_access_token(
    *, user_id: int, secret_key: str, algorithm: str, lifetime: timedelta
) -> str:
    issued_at = datetime.now(UTC)
    claims = {
        "sub": str(user_id),
        "iat": issued_at,
        "exp": issued_at + lifetime,
        "jti": secrets.token_urlsafe(16),
    }
    return jwt.encode(claims, secret_key, algorithm=algorithm)


def decode_access_token(*, token: str, secret_key: str, algorithm: str) -> AccessClaims:
    """The claims of a valid token; InvalidToken for anything else, however well signed."""
    try:
        claims = jwt.decode(
            token, secret_key, algorithms=[algorithm], options={"require": ["exp", "iat", "sub"]}
        )
    except (jwt.PyJWTError, ValueError, TypeError, OverflowError) as error:
        raise InvalidToken from error
    if not all(is_timestamp(claims[name]) for name in ("exp", "iat")):
        raise InvalidToken
    jti = claims.get("jti")
    if jti is not None and not (isinstance(jti, str) and JTI.fullmatch(jti)):
        raise InvalidToken
    expires_at = datetime.fromtimestamp(claims["exp"], tz=UTC)
    return AccessClaims(user_id=user_id_of(claims["sub"]), jti=jti, expires_at=expires_at)


def is_timestamp(value: object) -> bool:
    """Seconds since 1970 up to the year 9999 (PyJWT lets 10**400 through)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return 0 <= value <= MAX_TIMESTAMP


def user_id_of(subject: object) -> int:
    """`sub` as we issue it: the decimal digits of a positive id within the integer column."""
    if not (isinstance(subject, str) and subject.isascii() and subject.isdigit()):
        raise InvalidToken
    if len(subject) > len(str(MAX_USER_ID)) or not 1 <= int(subject) <= MAX_USER_ID:
        raise InvalidToken
    return int(subject)


async def change_password(
    *,
    session: AsyncSession,
    passwords: PasswordHasher,
    user: User,
    current_password: str,
    new_password: str,
) -> None:
    """WrongPassword for a wrong current one, PasswordLikeUsername for a weak new one."""
    if not await passwords.verify(current_password, user.hashed_password):
        raise WrongPassword
    if new_password == user.username:
        raise PasswordLikeUsername
    hashed = await passwords.hash(new_password)
    await save_new_password(session=session, user=user, hashed_password=hashed)


async def make_staff(
    *, session: AsyncSession, data: UserCreate, passwords: PasswordHasher
) -> tuple[User, bool]:
    """A staff account named data.username, and whether it is new.

    An existing user is promoted; their email and password stay as they are.
    """
    user = await session.scalar(select(User).where(User.username == data.username))
    if user is None:
        user = await register_user(session=session, data=data, passwords=passwords, staff=True)
        return user, True
    user.is_staff = user.is_superuser = True
    await session.commit()
    return user, False
