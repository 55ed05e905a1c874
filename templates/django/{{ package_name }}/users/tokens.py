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

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .errors import InvalidToken
from .models import DeniedAccessToken, RefreshToken, User


def token_hash(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def new_refresh_token(*, user: User, family: uuid.UUID | None = None) -> tuple[str, RefreshToken]:
    """A fresh token's value (for the client) and its row."""
    value = secrets.token_urlsafe(32)
    row = RefreshToken.objects.create(
        user=user,
        token_hash=token_hash(value),
        family=family or uuid.uuid4(),
        expires_at=timezone.now() + timedelta(days=settings.REFRESH_TOKEN_EXPIRE_DAYS),
    )
    return value, row


def rotate_refresh_token(*, value: str) -> tuple[User, str]:
    """The user of a valid refresh token and the value of its replacement; InvalidToken else."""
    now = timezone.now()
    rows = RefreshToken.objects.filter(token_hash=token_hash(value))
    with transaction.atomic():
        # The conditional UPDATE decides: of simultaneous uses of one token, one wins.
        won = rows.filter(revoked_at__isnull=True, expires_at__gt=now).update(revoked_at=now)
        row = rows.select_related("user").first()
        if won and row is not None and row.user.is_active:
            replacement, new_row = new_refresh_token(user=row.user, family=row.family)
            row.replaced_by = new_row
            row.save(update_fields=["replaced_by"])
            return row.user, replacement
    if row is not None and row.revoked_at is not None and not won:
        revoke_refresh_tokens(user=row.user)  # a rotated or revoked token again: stolen
    raise InvalidToken("unknown, expired or revoked refresh token")


def revoke_refresh_tokens(*, user: User) -> None:
    RefreshToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def revoke_refresh_token(*, user: User, value: str) -> None:
    RefreshToken.objects.filter(
        user=user, token_hash=token_hash(value), revoked_at__isnull=True
    ).update(revoked_at=timezone.now())


def deny_access_token(*, jti: str, expires_at: datetime) -> None:
    """Refuse the access token from now until it expires; forget tokens that have."""
    DeniedAccessToken.objects.bulk_create(
        [DeniedAccessToken(jti=jti, expires_at=expires_at)], ignore_conflicts=True
    )
    DeniedAccessToken.objects.filter(expires_at__lt=timezone.now()).delete()


def is_denied(jti: str) -> bool:
    return DeniedAccessToken.objects.filter(jti=jti).exists()
