"""Refresh tokens, rotated on every use, and access tokens denied by a logout.

A refresh token is an opaque random string; only its SHA-256 is stored. Using one
revokes it and issues its replacement. A token presented again after it was
rotated or revoked is taken for stolen: every refresh token of its user is revoked.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.dml import Update

from ..db import utc_now
from .errors import InvalidRefreshToken
from .models import DeniedAccessToken, RefreshToken, User


def token_hash(value: str) -> str:
    return hashlib.sha256(value.encode(errors="surrogatepass")).hexdigest()


async def updated_rows(session: AsyncSession, statement: Update) -> int:
    result = cast(CursorResult[Any], await session.execute(statement))
    return result.rowcount


def new_refresh_token(
    *, session: AsyncSession, user_id: int, lifetime: timedelta, family_id: str | None = None
) -> tuple[str, RefreshToken]:
    """A fresh token's value (for the client) and its row, added to the session."""
    value = secrets.token_urlsafe(32)
    row = RefreshToken(
        user_id=user_id,
        token_hash=token_hash(value),
        family_id=family_id or uuid.uuid4().hex,
        expires_at=utc_now() + lifetime,
    )
    session.add(row)
    return value, row


async def issue_refresh_token(*, session: AsyncSession, user_id: int, lifetime: timedelta) -> str:
    """The first refresh token of a new login."""
    value, _ = new_refresh_token(session=session, user_id=user_id, lifetime=lifetime)
    await session.commit()
    return value


async def rotate_refresh_token(
    *, session: AsyncSession, value: str, lifetime: timedelta
) -> tuple[User, str]:
    """The user of a valid refresh token and the value of its replacement.

    InvalidRefreshToken for anything else; a rotated or revoked token revokes them all.
    """
    now, digest = utc_now(), token_hash(value)
    # The conditional UPDATE decides: of simultaneous uses of one token, one wins.
    won = await updated_rows(
        session,
        update(RefreshToken)
        .where(
            RefreshToken.token_hash == digest,
            RefreshToken.revoked_at.is_(None),
            RefreshToken.expires_at > now,
        )
        .values(revoked_at=now),
    )
    row = await session.scalar(select(RefreshToken).where(RefreshToken.token_hash == digest))
    user = await _active_user(session, row.user_id) if won and row is not None else None
    if row is not None and user is not None:
        replacement, new_row = new_refresh_token(
            session=session, user_id=user.id, lifetime=lifetime, family_id=row.family_id
        )
        await session.flush()
        row.replaced_by = new_row.id
        await session.commit()
        return user, replacement
    stolen = row is not None and row.revoked_at is not None and not won
    user_id = row.user_id if row is not None else None
    await session.rollback()
    if stolen and user_id is not None:
        await revoke_refresh_tokens(session=session, user_id=user_id)
        await session.commit()
    raise InvalidRefreshToken


async def _active_user(session: AsyncSession, user_id: int) -> User | None:
    user = await session.get(User, user_id)
    return user if user is not None and user.is_active else None


async def revoke_refresh_tokens(*, session: AsyncSession, user_id: int) -> None:
    """Every refresh token of the user stops working (the caller commits)."""
    await session.execute(
        update(RefreshToken)
        .where(RefreshToken.user_id == user_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=utc_now())
    )


async def revoke_refresh_token(*, session: AsyncSession, user_id: int, value: str) -> None:
    await session.execute(
        update(RefreshToken)
        .where(
            RefreshToken.user_id == user_id,
            RefreshToken.token_hash == token_hash(value),
            RefreshToken.revoked_at.is_(None),
        )
        .values(revoked_at=utc_now())
    )


async def deny_access_token(*, session: AsyncSession, jti: str, expires_at: datetime) -> None:
    """Refuse the access token from now until it expires; forget the denials that expired."""
    await session.execute(delete(DeniedAccessToken).where(DeniedAccessToken.expires_at < utc_now()))
    if await session.get(DeniedAccessToken, jti) is None:
        session.add(DeniedAccessToken(jti=jti, expires_at=expires_at))
    try:
        await session.commit()
    except IntegrityError:  # a simultaneous logout with the same token denied it first
        await session.rollback()
