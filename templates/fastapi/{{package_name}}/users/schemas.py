from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, ValidationInfo, field_validator

from ..fields import Text

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


class UserCreate(BaseModel):
    username: Username
    email: EmailStr = Field(max_length=254)
    password: Text = Field(min_length=8, max_length=128, examples=["correct horse battery"])

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
    expires_in: int = Field(description="Seconds until the token expires")
