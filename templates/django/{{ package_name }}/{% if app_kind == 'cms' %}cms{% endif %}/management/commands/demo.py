"""`python manage.py demo` (make demo): the articles' demo data, plus a page of the site.

The content site's app is listed before the articles' app, so this command is the
one manage.py finds under the name `demo`.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from ....articles.management.commands.demo import Command as ArticlesDemo
from ...demo import load_demo_article


class Command(ArticlesDemo):
    help = "Load demo users, articles and a page of the site; running it again adds nothing new."

    def handle(self, *args: Any, **options: Any) -> None:
        super().handle(*args, **options)
        with transaction.atomic():
            article = load_demo_article()
        if article is None:
            self.stdout.write("no article index to put the demo page in: add one at /cms/")
        else:
            self.stdout.write(f"demo page: {article.url}")
