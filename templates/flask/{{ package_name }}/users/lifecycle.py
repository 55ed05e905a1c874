"""Refresh tokens, logout, password change and reset, email verification.

Tokens handed out are `secrets.token_urlsafe(32)`; only their SHA-256 is stored.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update

from ..db import utcnow
from ..extensions import db
from ..mail import send_mail
from .errors import InvalidAccountToken, InvalidRefreshToken, PasswordLikeUsername, WrongPassword
from .models import AccountToken, DeniedAccessToken, RefreshToken, User
from .passwords import hash_password, verify_password

PASSWORD_RESET = "password_reset"
EMAIL_VERIFICATION = "email_verification"


@dataclass(frozen=True)
class MailLinks:
    """What emails need to know: the public address of the site and the lifetimes."""

    site_url: str
    password_reset_lifetime: timedelta
    email_verification_lifetime: timedelta


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _as_utc(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; they were stored in UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=utcnow().tzinfo)


def issue_refresh_token(*, user: User, lifetime: timedelta, family_id: str | None = None) -> str:
    token = secrets.token_urlsafe(32)
    db.session.add(
        RefreshToken(
            user_id=user.id,
            token_hash=token_hash(token),
            family_id=family_id or uuid.uuid4().hex,
            expires_at=utcnow() + lifetime,
        )
    )
    db.session.commit()
    return token


def rotate_refresh_token(*, token: str, lifetime: timedelta) -> tuple[User, str]:
    """The user and a new refresh token; the old one is spent.

    A token that was already rotated or revoked revokes every token of its user.
    Of concurrent rotations of one token, the conditional UPDATE lets one win.
    """
    record = db.session.scalar(
        select(RefreshToken).where(RefreshToken.token_hash == token_hash(token))
    )
    if record is None or _as_utc(record.expires_at) <= utcnow():
        raise InvalidRefreshToken
    user_id, family_id = record.user_id, record.family_id
    if record.revoked_at is not None:
        revoke_refresh_tokens(user_id=user_id)
        raise InvalidRefreshToken
    replacement_token = secrets.token_urlsafe(32)
    replacement = RefreshToken(
        user_id=user_id,
        token_hash=token_hash(replacement_token),
        family_id=family_id,
        expires_at=utcnow() + lifetime,
    )
    db.session.add(replacement)
    db.session.flush()
    spent = db.session.execute(
        update(RefreshToken)
        .where(RefreshToken.id == record.id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=utcnow(), replaced_by=replacement.id)
    )
    if spent.rowcount != 1:  # type: ignore[attr-defined]
        db.session.rollback()
        revoke_refresh_tokens(user_id=user_id)
        raise InvalidRefreshToken
    db.session.commit()
    user = db.session.get(User, user_id)
    if user is None:
        raise InvalidRefreshToken
    return user, replacement_token


def revoke_refresh_tokens(*, user_id: int) -> None:
    db.session.execute(
        update(RefreshToken)
        .where(RefreshToken.user_id == user_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    db.session.commit()


def log_out(*, user: User, refresh_token: str, jti: str, access_expires_at: datetime) -> None:
    """Revoke this refresh token of the user and deny the access token's jti at once."""
    db.session.execute(
        update(RefreshToken)
        .where(
            RefreshToken.token_hash == token_hash(refresh_token),
            RefreshToken.user_id == user.id,
            RefreshToken.revoked_at.is_(None),
        )
        .values(revoked_at=utcnow())
    )
    db.session.execute(delete(DeniedAccessToken).where(DeniedAccessToken.expires_at < utcnow()))
    if db.session.get(DeniedAccessToken, jti) is None:
        db.session.add(DeniedAccessToken(jti=jti, expires_at=access_expires_at))
    db.session.commit()


def is_denied(jti: str) -> bool:
    return (
        db.session.scalar(select(DeniedAccessToken.jti).where(DeniedAccessToken.jti == jti))
        is not None
    )


def change_password(*, user: User, current_password: str, new_password: str) -> None:
    if not verify_password(user.password_hash, current_password):
        raise WrongPassword
    _set_password(user, new_password)


def _set_password(user: User, password: str) -> None:
    """New password; every refresh token and open reset link of the user dies with the old."""
    if password == user.username:
        raise PasswordLikeUsername
    user.password_hash = hash_password(password)
    db.session.execute(
        update(AccountToken)
        .where(
            AccountToken.user_id == user.id,
            AccountToken.purpose == PASSWORD_RESET,
            AccountToken.used_at.is_(None),
        )
        .values(used_at=utcnow())
    )
    revoke_refresh_tokens(user_id=user.id)


def _issue_account_token(*, user: User, purpose: str, lifetime: timedelta) -> str:
    token = secrets.token_urlsafe(32)
    db.session.add(
        AccountToken(
            user_id=user.id,
            purpose=purpose,
            token_hash=token_hash(token),
            expires_at=utcnow() + lifetime,
        )
    )
    db.session.commit()
    return token


def _use_account_token(*, token: str, purpose: str) -> User:
    """Spend a valid token (conditionally: one use even under concurrency); its user."""
    record = db.session.scalar(
        select(AccountToken).where(
            AccountToken.token_hash == token_hash(token), AccountToken.purpose == purpose
        )
    )
    if record is None or record.used_at is not None or _as_utc(record.expires_at) <= utcnow():
        raise InvalidAccountToken
    spent = db.session.execute(
        update(AccountToken)
        .where(AccountToken.id == record.id, AccountToken.used_at.is_(None))
        .values(used_at=utcnow())
    )
    user = db.session.get(User, record.user_id)
    if spent.rowcount != 1 or user is None:  # type: ignore[attr-defined]
        db.session.rollback()
        raise InvalidAccountToken
    return user


def request_password_reset(*, email: str, links: MailLinks) -> None:
    """Mail a reset link when the address is registered; silently nothing otherwise."""
    user = db.session.scalar(select(User).where(db.func.lower(User.email) == email.lower()))
    if user is None:
        return
    lifetime = links.password_reset_lifetime
    _mail_token_link(
        user=user,
        purpose=PASSWORD_RESET,
        lifetime=lifetime,
        subject="Reset your password",
        template="password_reset",
        site_url=links.site_url,
        link_path="/reset-password",
        minutes=int(lifetime.total_seconds() // 60),
    )


def reset_password(*, token: str, password: str) -> User:
    user = _use_account_token(token=token, purpose=PASSWORD_RESET)
    _set_password(user, password)
    return user


def send_verification(*, user: User, links: MailLinks) -> None:
    """Mail a verification link, unless the address is verified already."""
    if user.email_verified:
        return
    lifetime = links.email_verification_lifetime
    _mail_token_link(
        user=user,
        purpose=EMAIL_VERIFICATION,
        lifetime=lifetime,
        subject="Verify your email address",
        template="verify_email",
        site_url=links.site_url,
        link_path="/verify-email",
        hours=int(lifetime.total_seconds() // 3600),
    )


def _mail_token_link(
    *,
    user: User,
    purpose: str,
    lifetime: timedelta,
    subject: str,
    template: str,
    site_url: str,
    link_path: str,
    **context: object,
) -> None:
    """Issue a token of `purpose` and mail the user a link to `link_path` that carries it."""
    token = _issue_account_token(user=user, purpose=purpose, lifetime=lifetime)
    send_mail(
        to=user.email,
        subject=subject,
        template=template,
        username=user.username,
        link=f"{site_url}{link_path}?token={token}",
        **context,
    )


def verify_email(*, token: str) -> User:
    user = _use_account_token(token=token, purpose=EMAIL_VERIFICATION)
    user.email_verified = True
    db.session.commit()
    return user


def mail_links(*, site_url: str, reset_minutes: int, verification_hours: int) -> MailLinks:
    return MailLinks(
        site_url=site_url,
        password_reset_lifetime=timedelta(minutes=reset_minutes),
        email_verification_lifetime=timedelta(hours=verification_hours),
    )
