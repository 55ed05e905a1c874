"""Password rules beyond Django's built-in validators."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError


class NotUsernameValidator:
    """Refuse a password equal to the username, ignoring case."""

    def validate(self, password: str, user: Any = None) -> None:
        username = getattr(user, "username", None)
        if username and password.casefold() == str(username).casefold():
            raise ValidationError(
                "The password must not be the same as the username.", code="password_is_username"
            )

    def get_help_text(self) -> str:
        return "Your password can't be the same as your username."
