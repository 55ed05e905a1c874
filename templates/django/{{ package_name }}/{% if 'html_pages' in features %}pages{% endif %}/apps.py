from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = __package__ or ""
    label = "pages"
