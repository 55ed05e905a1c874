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
        fields = ("id", "username", "email", "date_joined")
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
