"""The pages' forms: the same rules as the API's serializers, as Django forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation

from ..articles.models import TITLE_MAX_LENGTH
from ..users.models import User
from ..users.serializers import username_characters


def password_input() -> forms.CharField:
    return forms.CharField(
        min_length=8, max_length=128, strip=False, widget=forms.PasswordInput(render_value=False)
    )


class RegisterForm(forms.Form):
    username = forms.CharField(min_length=3, max_length=150, validators=[username_characters])
    email = forms.EmailField(max_length=254)
    password = password_input()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if {"username", "email", "password"} <= set(cleaned):
            candidate = User(username=cleaned["username"], email=cleaned["email"])
            try:
                password_validation.validate_password(cleaned["password"], candidate)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return cleaned


class ForgotPasswordForm(forms.Form):
    email = forms.EmailField(max_length=254)


class TokenForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, strip=False)


class ResetPasswordForm(TokenForm):
    password = password_input()


class ArticleForm(forms.Form):
    title = forms.CharField(max_length=TITLE_MAX_LENGTH)
    content = forms.CharField(widget=forms.Textarea, strip=False)
    published = forms.BooleanField(required=False)
