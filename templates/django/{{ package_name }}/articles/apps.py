from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = __package__ or ""
    label = "articles"
