from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = __package__ or ""
    label = "jobs"

    def ready(self) -> None:
        # The Celery app, configured from the settings, before any task is sent.
        import config.celery  # noqa: F401
