"""`python manage.py demo` (make demo): demo accounts and articles to click through."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from ....users.models import User
from ....users.services import register_user
from ...models import Article
from ...services import create_article

PASSWORD = "demo-password"
ARTICLES = {
    "ada": [
        ("Notes on the Analytical Engine", "It might act upon other things besides number.", True),
        ("A draft about looms", "Only ada sees this one until it is published.", False),
    ],
    "grace": [
        ("Finding the first bug", "A moth, taped into the logbook.", True),
        ("Why compilers", "Programs should read like English.", True),
    ],
}


class Command(BaseCommand):
    help = "Load demo users and articles; running it again adds nothing new."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            for username, articles in ARTICLES.items():
                author = demo_user(username)
                for title, content, published in articles:
                    if not Article.objects.filter(author=author, title=title).exists():
                        create_article(
                            author=author, title=title, content=content, published=published
                        )
        logins = ", ".join(f"{username} / {PASSWORD}" for username in ARTICLES)
        self.stdout.write(f"demo data loaded; logins: {logins}")


def demo_user(username: str) -> User:
    existing = User.objects.filter(username=username).first()
    if existing is not None:
        return existing
    return register_user(username=username, email=f"{username}@example.com", password=PASSWORD)
