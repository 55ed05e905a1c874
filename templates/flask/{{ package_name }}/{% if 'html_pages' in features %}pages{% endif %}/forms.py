"""The pages' forms: WTForms for the markup and CSRF, the API's schemas for the rules."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from marshmallow import Schema
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from ..articles.models import TITLE_MAX_LENGTH
from ..users.schemas import PASSWORD_MIN_LENGTH, PasswordResetRequest, UserCreate

PASSWORD_AUTOCOMPLETE = {"autocomplete": "new-password"}


class SchemaForm(FlaskForm):  # type: ignore[misc]
    """A form whose data must also load through `schema`: the API's messages beside the fields."""

    schema: type[Schema]

    def validate(self, extra_validators: Any = None) -> bool:
        if not super().validate(extra_validators):
            return False
        schema = self.schema()
        errors = schema.validate({name: self[name].data for name in schema.fields})
        for name, messages in errors.items():
            # Errors of the whole schema (no field's) show above the form.
            shown = self[name].errors if name in self else self.form_errors
            shown.extend(str(message) for message in messages)
        return not errors


class RegisterForm(SchemaForm):
    schema = UserCreate
    username = StringField("Username", validators=[DataRequired()])
    email = EmailField("Email", validators=[DataRequired()])
    password = PasswordField(
        "Password", validators=[DataRequired()], render_kw=PASSWORD_AUTOCOMPLETE
    )


class ForgotPasswordForm(SchemaForm):
    schema = PasswordResetRequest
    email = EmailField("Email", validators=[DataRequired()])


class TokenForm(FlaskForm):  # type: ignore[misc]
    token = HiddenField(validators=[DataRequired(), Length(max=512)])


class ResetPasswordForm(TokenForm):
    password = PasswordField(
        "New password",
        validators=[DataRequired(), Length(min=PASSWORD_MIN_LENGTH, max=1024)],
        render_kw=PASSWORD_AUTOCOMPLETE,
    )


class ArticleForm(FlaskForm):  # type: ignore[misc]
    title = StringField("Title", validators=[DataRequired(), Length(max=TITLE_MAX_LENGTH)])
    content = TextAreaField("Content", validators=[DataRequired(), Length(max=100_000)])
    published = BooleanField("Published")
