"""`python manage.py staff` (make staff): a staff account, created or promoted, no questions."""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import partial
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandParser
from django.core.validators import validate_email
from django.db import transaction

from ...errors import EmailTaken, UsernameTaken
from ...models import User
from ...services import register_user

USAGE = "make staff USERNAME=... EMAIL=... PASSWORD=..."


class Command(BaseCommand):
    help = (
        "Create a staff account (admin access, every permission) or promote an existing user; "
        "the password comes from --password or the PASSWORD environment variable."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", default="")
        parser.add_argument("--email", default="")
        parser.add_argument("--password", default=os.environ.get("PASSWORD", ""))

    def handle(self, *args: Any, **options: Any) -> None:
        username, email, password = (options[key] for key in ("username", "email", "password"))
        for name, value in (("USERNAME", username), ("EMAIL", email), ("PASSWORD", password)):
            if not value:
                raise SystemExit(f"staff: {name} is missing; {USAGE}")
        with transaction.atomic():
            existing = User.objects.select_for_update().filter(username=username).first()
            if existing is not None:
                promote(existing)
                self.stdout.write(f"{username} is staff now (email and password unchanged)")
                return
            create_staff(username=username, email=email, password=password)
        self.stdout.write(f"created staff account {username}")


def promote(user: User) -> None:
    user.is_staff = user.is_superuser = True
    user.save(update_fields=["is_staff", "is_superuser"])


def create_staff(*, username: str, email: str, password: str) -> None:
    try:
        validate(username=username, email=email, password=password)
        user = register_user(username=username, email=email, password=password)
    except (UsernameTaken, EmailTaken):
        raise SystemExit(f"staff: {email} belongs to another account; pick another EMAIL") from None
    promote(user)


def validate(*, username: str, email: str, password: str) -> None:
    """The rules of registration, each refusal as one line naming the variable."""
    checks: list[tuple[str, Callable[[], object]]] = [
        ("USERNAME", partial(UnicodeUsernameValidator(), username)),
        ("EMAIL", partial(validate_email, email)),
        ("PASSWORD", partial(validate_password, password, User(username=username, email=email))),
    ]
    for name, check in checks:
        try:
            check()
        except ValidationError as error:
            raise SystemExit(f"staff: {name} refused ({' '.join(error.messages)})") from None
