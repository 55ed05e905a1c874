"""The HTML login form, throttled like the API's token endpoint."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.forms import AuthenticationForm

from .throttle import LoginThrottle


class LoginThrottled(Exception):
    """Too many attempts for this username from this address (users.middleware answers 429)."""

    def __init__(self, wait: int) -> None:
        super().__init__(f"retry after {wait} s")
        self.wait = wait


class ThrottledAuthenticationForm(AuthenticationForm):
    """Counts the attempt before the password is checked; raises LoginThrottled past the limit."""

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is None or not password or self.request is None:
            return super().clean()
        throttle = LoginThrottle(username=username, client_ip=self.request.META["REMOTE_ADDR"])
        if (wait := throttle.attempt()) is not None:
            raise LoginThrottled(wait)
        cleaned = super().clean()  # a wrong password raises: the attempt stays counted
        throttle.reset()
        return cleaned
