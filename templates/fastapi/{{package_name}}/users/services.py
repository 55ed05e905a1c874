"""Accounts and access tokens: keyword-only functions that raise domain errors."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import jwt
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from .errors import EmailTaken, InvalidCredentials, InvalidToken, UsernameTaken
from .models import User
from .passwords import PasswordHasher
from .schemas import UserCreate

# Ids are 32-bit integers in every supported database.
MAX_USER_ID = 2**31 - 1
MAX_TIMESTAMP = 253_402_300_799  # 9999-12-31T23:59:59Z


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


async def get_active_user(*, session: AsyncSession, user_id: int) -> User:
    user = await session.get(User, user_id)
    if user is None or not user.is_active:
        raise InvalidToken
    return user


def create_access_token(
    *, user_id: int, secret_key: str, algorithm: str, lifetime: timedelta
) -> str:
    issued_at = datetime.now(UTC)
    claims = {"sub": str(user_id), "iat": issued_at, "exp": issued_at + lifetime}
    return jwt.encode(claims, secret_key, algorithm=algorithm)


def decode_access_token(*, token: str, secret_key: str, algorithm: str) -> int:
    """The user id in a valid token; InvalidToken for anything else, however well signed."""
    try:
        claims = jwt.decode(
            token, secret_key, algorithms=[algorithm], options={"require": ["exp", "iat", "sub"]}
        )
    except (jwt.PyJWTError, ValueError, TypeError, OverflowError) as error:
        raise InvalidToken from error
    if not all(is_timestamp(claims[name]) for name in ("exp", "iat")):
        raise InvalidToken
    return user_id_of(claims["sub"])


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
