from django.apps import AppConfig


class HealthConfig(AppConfig):
    name = __package__ or ""
    label = "health"
