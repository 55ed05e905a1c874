from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, ValidationInfo, field_validator

from ..fields import NoNul, Text

Username = Annotated[
    str,
    Field(
        min_length=3,
        max_length=150,
        pattern=r"^[\w.@+-]+$",
        description="3 to 150 letters, digits and @.+-_",
        examples=["ada"],
    ),
]


NewPassword = Annotated[
    str, Field(min_length=8, max_length=128, examples=["correct horse battery"]), NoNul
]
# Opaque tokens: any malformed value is simply not a token (401 or 400), never a 422.
OpaqueToken = Annotated[Text, Field(examples=["kVJ0qW..."])]


class UserCreate(BaseModel):
    username: Username
    email: EmailStr = Field(max_length=254)
    password: NewPassword

    @field_validator("password")
    @classmethod
    def differs_from_username(cls, password: str, info: ValidationInfo) -> str:
        if password == info.data.get("username"):
            raise ValueError("The password must differ from the username")
        return password


class PasswordGrant(BaseModel):
    """The OAuth2 password grant's form; other OAuth2 fields (grant_type, scope) are ignored."""

    username: Text
    password: Text


class UserPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    username: str
    email: str
    email_verified: bool
    date_joined: datetime


class Token(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int = Field(description="Seconds until the access token expires")
    refresh_token: str = Field(description="Trade it at /api/auth/refresh for a new pair")


class RefreshRequest(BaseModel):
    refresh_token: OpaqueToken


class PasswordChange(BaseModel):
    current_password: Annotated[str, Field(max_length=1024), NoNul]
    new_password: NewPassword


class PasswordResetRequest(BaseModel):
    email: EmailStr = Field(max_length=254)


class PasswordResetConfirm(BaseModel):
    token: OpaqueToken
    password: NewPassword


class EmailVerification(BaseModel):
    token: OpaqueToken


class Message(BaseModel):
    detail: str
