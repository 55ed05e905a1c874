from django.apps import AppConfig


class MLConfig(AppConfig):
    name = __package__ or ""
    label = "ml"

    def ready(self) -> None:
        from ..health.services import readiness_checks
        from .services import readiness

        readiness_checks.append(readiness)
