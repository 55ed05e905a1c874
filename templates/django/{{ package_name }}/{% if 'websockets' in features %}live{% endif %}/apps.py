from django.apps import AppConfig


class LiveConfig(AppConfig):
    name = __package__ or ""
    label = "live"

    def ready(self) -> None:
        from . import events

        events.watch_articles()
