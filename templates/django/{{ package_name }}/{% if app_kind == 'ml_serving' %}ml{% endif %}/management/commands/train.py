"""`python manage.py train` (make train): fit the model into MODEL_DIR as its current version."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Fit the model and make it MODEL_DIR's current version; restart the server to serve it."

    def handle(self, *args: Any, **options: Any) -> None:
        from ...training import train  # scikit-learn loads only for this command

        metadata = train(settings.MODEL_DIR)
        metrics = ", ".join(f"{name} {value}" for name, value in metadata.metrics.items())
        self.stdout.write(
            f"Trained {metadata.name} {metadata.version} ({metrics}) in {settings.MODEL_DIR}."
        )
