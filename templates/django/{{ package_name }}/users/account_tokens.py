"""Password reset and email verification: single-use tokens mailed to the user.

A token is `secrets.token_urlsafe(32)`; only its SHA-256 is stored (table
account_tokens), so a copy of the database holds no working link. The links
start with SITE_URL, never with the request's Host header.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import password_validation
from django.db import transaction
from django.utils import timezone

from ..mail import send_after_commit
from ..mail.outbox import Mail
from .errors import InvalidToken
from .models import AccountToken, User
from .tokens import revoke_refresh_tokens, token_hash

Purpose = AccountToken.Purpose


def issue_token(*, user: User, purpose: str, lifetime: timedelta) -> str:
    value = secrets.token_urlsafe(32)
    AccountToken.objects.create(
        user=user,
        purpose=purpose,
        token_hash=token_hash(value),
        expires_at=timezone.now() + lifetime,
    )
    return value


def link(path: str, token: str) -> str:
    return f"{settings.SITE_URL}/{path}?token={token}"


def open_token(*, value: str, purpose: str) -> AccountToken:
    """The unused, unexpired token of that purpose; InvalidToken for anything else."""
    row = (
        AccountToken.objects.select_related("user")
        .filter(
            token_hash=token_hash(value),
            purpose=purpose,
            used_at__isnull=True,
            expires_at__gt=timezone.now(),
            user__is_active=True,
        )
        .first()
    )
    if row is None:
        raise InvalidToken("unknown, used or expired token")
    return row


def use_token(row: AccountToken) -> None:
    """Mark the token used; InvalidToken when another request used it first."""
    used = AccountToken.objects.filter(pk=row.pk, used_at__isnull=True).update(
        used_at=timezone.now()
    )
    if not used:
        raise InvalidToken("token already used")


def send_password_reset(*, email: str) -> None:
    """Mail a reset link when an active account has that address; nothing otherwise."""
    user = User.objects.filter(email__iexact=email, is_active=True).first()
    if user is None:
        return
    minutes: int = settings.PASSWORD_RESET_EXPIRE_MINUTES
    with transaction.atomic():
        token = issue_token(
            user=user, purpose=Purpose.PASSWORD_RESET, lifetime=timedelta(minutes=minutes)
        )
        context = {"user": user, "link": link("reset-password", token), "minutes": minutes}
        send_after_commit(
            Mail(user.email, "Reset your password", "users/mail/password_reset", context)
        )


def reset_password(*, token: str, password: str) -> User:
    """Set the password a reset token was mailed for; ValidationError when it is weak."""
    row = open_token(value=token, purpose=Purpose.PASSWORD_RESET)
    user = row.user
    password_validation.validate_password(password, user)
    user.set_password(password)  # hashing is slow: outside the transaction
    with transaction.atomic():
        use_token(row)
        save_new_password(user)
    return user


def save_new_password(user: User) -> None:
    """Store the password just set; every reset link and refresh token of the user dies."""
    user.save(update_fields=["password"])
    AccountToken.objects.filter(
        user=user, purpose=Purpose.PASSWORD_RESET, used_at__isnull=True
    ).update(used_at=timezone.now())
    revoke_refresh_tokens(user=user)


def send_verification(user: User) -> None:
    """Mail a verification link, unless the address is verified already."""
    if user.email_verified:
        return
    hours: int = settings.EMAIL_VERIFICATION_EXPIRE_HOURS
    with transaction.atomic():
        token = issue_token(
            user=user, purpose=Purpose.EMAIL_VERIFICATION, lifetime=timedelta(hours=hours)
        )
        context = {"user": user, "link": link("verify-email", token), "hours": hours}
        send_after_commit(
            Mail(user.email, "Verify your email address", "users/mail/verify_email", context)
        )


def verify_email(*, token: str) -> User:
    row = open_token(value=token, purpose=Purpose.EMAIL_VERIFICATION)
    user = row.user
    with transaction.atomic():
        use_token(row)
        user.email_verified = True
        user.save(update_fields=["email_verified"])
    return user
