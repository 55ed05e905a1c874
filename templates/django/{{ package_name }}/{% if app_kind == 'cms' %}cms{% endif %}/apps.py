from django.apps import AppConfig


class CmsConfig(AppConfig):
    name = __package__ or ""
    label = "cms"
    verbose_name = "Content site"
