"""What goes in and out of the accounts endpoints."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import RegexValidator
from rest_framework import serializers

from ..core.fields import StrictCharField
from .models import User

username_characters = RegexValidator(
    r"^[A-Za-z0-9@.+_-]+\Z",
    "Use only letters, digits and @ . + - _",
    code="invalid_username",
)


def error_details(error: DjangoValidationError) -> list[serializers.ErrorDetail]:
    """Django's validation messages, keeping their codes (for the `type` of each error)."""
    return [
        serializers.ErrorDetail(item.message % (item.params or {}), code=item.code or "invalid")
        for item in error.error_list
    ]


class UserCreate(serializers.Serializer[User]):
    username = StrictCharField(min_length=3, max_length=150, validators=[username_characters])
    email = serializers.EmailField(max_length=254)
    password = StrictCharField(write_only=True, min_length=8, max_length=128, trim_whitespace=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        candidate = User(username=attrs["username"], email=attrs["email"])
        try:
            password_validation.validate_password(attrs["password"], candidate)
        except DjangoValidationError as error:
            raise serializers.ValidationError({"password": error_details(error)}) from None
        return attrs


class UserPublic(serializers.ModelSerializer[User]):
    class Meta:
        model = User
        fields = ("id", "username", "email", "date_joined", "email_verified")
        read_only_fields = fields


class TokenRequest(serializers.Serializer[None]):
    """The OAuth2 password grant's form fields."""

    grant_type = serializers.RegexField(r"^password\Z", required=False)
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False)


class Token(serializers.Serializer[None]):
    access_token = serializers.CharField()
    token_type = serializers.CharField()
    expires_in = serializers.IntegerField()
    refresh_token = serializers.CharField()


def password_field() -> StrictCharField:
    return StrictCharField(min_length=8, max_length=128, trim_whitespace=False)


def token_field() -> StrictCharField:
    """An opaque token as the client got it; a wrong one is refused by the service, not here."""
    return StrictCharField(allow_blank=True, trim_whitespace=False)


class RefreshRequest(serializers.Serializer[None]):
    refresh_token = token_field()


class PasswordChange(serializers.Serializer[None]):
    current_password = StrictCharField(max_length=128, trim_whitespace=False)
    new_password = password_field()


class PasswordResetRequest(serializers.Serializer[None]):
    email = serializers.EmailField(max_length=254)


class PasswordResetConfirm(serializers.Serializer[None]):
    token = token_field()
    password = password_field()


class EmailVerification(serializers.Serializer[None]):
    token = token_field()


class Message(serializers.Serializer[None]):
    detail = serializers.CharField()
