from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = __package__ or ""
    label = "core"
