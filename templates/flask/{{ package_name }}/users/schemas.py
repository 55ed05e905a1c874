from __future__ import annotations

import re
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from ..schemas import InputSchema, Text, UtcDateTime

USERNAME_PATTERN = re.compile(r"^[\w.@+-]{3,150}$")
PASSWORD_MIN_LENGTH = 8


def new_password(**kwargs: Any) -> Text:
    return Text(
        required=True,
        load_only=True,
        validate=validate.Length(min=PASSWORD_MIN_LENGTH, max=1024),
        **kwargs,
    )


class UserCreate(InputSchema):
    username = Text(
        required=True,
        validate=validate.Regexp(
            USERNAME_PATTERN,
            error="3 to 150 characters: letters, digits and @ . + - _ only.",
        ),
    )
    email = fields.Email(required=True, validate=validate.Length(max=254))
    password = new_password()

    @validates_schema
    def password_differs_from_username(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("password") and data.get("password") == data.get("username"):
            raise ValidationError("The password must differ from the username.", "password")


class UserPublic(Schema):
    id = fields.Integer(required=True)
    username = fields.String(required=True)
    email = fields.String(required=True)
    email_verified = fields.Boolean(required=True)
    date_joined = UtcDateTime(required=True)


class TokenRequest(InputSchema):
    """OAuth2 password grant form (grant_type/scope are accepted and ignored)."""

    username = Text(required=True, validate=validate.Length(min=1, max=150))
    password = Text(required=True, validate=validate.Length(min=1, max=1024))


class Token(Schema):
    access_token = fields.String(required=True)
    token_type = fields.String(required=True)
    expires_in = fields.Integer(required=True)
    refresh_token = fields.String(required=True)


OPAQUE_TOKEN = validate.Length(min=1, max=512)


class RefreshRequest(InputSchema):
    refresh_token = Text(required=True)  # any malformed value is a 401, not a 422


class PasswordChange(InputSchema):
    current_password = Text(required=True, load_only=True, validate=validate.Length(max=1024))
    new_password = new_password()


class PasswordResetRequest(InputSchema):
    email = fields.Email(required=True, validate=validate.Length(max=254))


class PasswordResetConfirm(InputSchema):
    token = Text(required=True, validate=OPAQUE_TOKEN)
    password = new_password()


class EmailVerification(InputSchema):
    token = Text(required=True, validate=OPAQUE_TOKEN)


class Detail(Schema):
    detail = fields.String(required=True)


class AuthorPublic(Schema):
    id = fields.Integer(required=True)
    username = fields.String(required=True)
