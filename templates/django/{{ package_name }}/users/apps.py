from django.apps import AppConfig


class UsersConfig(AppConfig):
    name = __package__ or ""
    label = "users"

    def ready(self) -> None:
        from . import schema  # noqa: F401  (registers the OpenAPI security scheme)
