"""Password reset and email verification: single-use tokens mailed to the user.

A token is `secrets.token_urlsafe(32)`; only its SHA-256 is stored (table
account_tokens), so a copy of the database holds no working link. The links
start with SITE_URL, never with the request's Host header.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from ..db import utc_now
from ..mail import Mail, Mailer, render
from ..settings import Settings
from .errors import InvalidAccountToken, PasswordLikeUsername
from .models import AccountToken, User
from .passwords import PasswordHasher
from .tokens import revoke_refresh_tokens, token_hash, updated_rows

PASSWORD_RESET = "password_reset"
EMAIL_VERIFICATION = "email_verification"
RESET_SUBJECT = "Reset your password"
VERIFY_SUBJECT = "Verify your email address"


@dataclass(frozen=True)
class Links:
    """What the mails need to know: the public address of the site and the lifetimes."""

    site_url: str
    reset_minutes: int
    verification_hours: int

    @classmethod
    def from_settings(cls, settings: Settings) -> Links:
        return cls(
            site_url=settings.site_url,
            reset_minutes=settings.password_reset_expire_minutes,
            verification_hours=settings.email_verification_expire_hours,
        )

    def link(self, path: str, token: str) -> str:
        return f"{self.site_url}/{path}?token={token}"


def issue_token(*, session: AsyncSession, user: User, purpose: str, lifetime: timedelta) -> str:
    """A new token's value; its row is added to the session (the caller commits)."""
    value = secrets.token_urlsafe(32)
    session.add(
        AccountToken(
            user_id=user.id,
            purpose=purpose,
            token_hash=token_hash(value),
            expires_at=utc_now() + lifetime,
        )
    )
    return value


async def open_token(*, session: AsyncSession, value: str, purpose: str) -> tuple[int, User]:
    """The id and user of the unused, unexpired token of that purpose; InvalidAccountToken else."""
    found = (
        await session.execute(
            select(AccountToken.id, User)
            .join(User, User.id == AccountToken.user_id)
            .where(
                AccountToken.token_hash == token_hash(value),
                AccountToken.purpose == purpose,
                AccountToken.used_at.is_(None),
                AccountToken.expires_at > utc_now(),
                User.is_active,
            )
        )
    ).first()
    if found is None:
        raise InvalidAccountToken
    return found[0], found[1]


async def use_token(*, session: AsyncSession, token_id: int) -> None:
    """Mark the token used; InvalidAccountToken when another request used it first."""
    used = await updated_rows(
        session,
        update(AccountToken)
        .where(AccountToken.id == token_id, AccountToken.used_at.is_(None))
        .values(used_at=utc_now()),
    )
    if not used:
        await session.rollback()
        raise InvalidAccountToken


def reset_mail(*, to: str, username: str, links: Links, token: str) -> Mail:
    context = {
        "user": {"username": username},
        "link": links.link("reset-password", token),
        "minutes": links.reset_minutes,
    }
    return Mail(to, RESET_SUBJECT, "password_reset", context)


async def send_password_reset(
    *, session: AsyncSession, mailer: Mailer, links: Links, email: str
) -> None:
    """Mail a reset link when an active account has that address; nothing otherwise.

    An unknown address costs the same work (a token, a write, a rendered mail), minus the
    delivery, so that the answer's timing does not tell which addresses are registered.
    """
    user = await session.scalar(
        select(User).where(func.lower(User.email) == email.lower(), User.is_active)
    )
    if user is None:
        value = secrets.token_urlsafe(32)
        await session.execute(
            update(AccountToken)
            .where(AccountToken.token_hash == token_hash(value))
            .values(used_at=utc_now())
        )
        await session.commit()
        render(reset_mail(to=email, username=email, links=links, token=value), sender="")
        return
    lifetime = timedelta(minutes=links.reset_minutes)
    value = issue_token(session=session, user=user, purpose=PASSWORD_RESET, lifetime=lifetime)
    await session.commit()
    mailer.send(reset_mail(to=user.email, username=user.username, links=links, token=value))


async def reset_password(
    *, session: AsyncSession, passwords: PasswordHasher, token: str, password: str
) -> User:
    """Set the password a reset token was mailed for; PasswordLikeUsername when it is weak."""
    token_id, user = await open_token(session=session, value=token, purpose=PASSWORD_RESET)
    if password == user.username:
        raise PasswordLikeUsername
    hashed = await passwords.hash(password)
    await use_token(session=session, token_id=token_id)
    await save_new_password(session=session, user=user, hashed_password=hashed)
    return user


async def save_new_password(*, session: AsyncSession, user: User, hashed_password: str) -> None:
    """Store the new password; every reset link and refresh token of the user dies with the old."""
    user.hashed_password = hashed_password
    await session.execute(
        update(AccountToken)
        .where(
            AccountToken.user_id == user.id,
            AccountToken.purpose == PASSWORD_RESET,
            AccountToken.used_at.is_(None),
        )
        .values(used_at=utc_now())
    )
    await revoke_refresh_tokens(session=session, user_id=user.id)
    await session.commit()


async def send_verification(
    *, session: AsyncSession, mailer: Mailer, links: Links, user: User
) -> None:
    """Mail a verification link, unless the address is verified already."""
    if user.email_verified:
        return
    lifetime = timedelta(hours=links.verification_hours)
    value = issue_token(session=session, user=user, purpose=EMAIL_VERIFICATION, lifetime=lifetime)
    await session.commit()
    context = {
        "user": {"username": user.username},
        "link": links.link("verify-email", value),
        "hours": links.verification_hours,
    }
    mailer.send(Mail(user.email, VERIFY_SUBJECT, "verify_email", context))


async def verify_email(*, session: AsyncSession, token: str) -> User:
    token_id, user = await open_token(session=session, value=token, purpose=EMAIL_VERIFICATION)
    await use_token(session=session, token_id=token_id)
    user.email_verified = True
    await session.commit()
    return user
