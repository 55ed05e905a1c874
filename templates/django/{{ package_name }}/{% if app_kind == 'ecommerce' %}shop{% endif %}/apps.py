from django.apps import AppConfig


class ShopConfig(AppConfig):
    name = __package__ or ""
    label = "shop"
