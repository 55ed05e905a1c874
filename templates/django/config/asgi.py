"""ASGI entry point, for servers such as uvicorn or daphne."""

from django.core.asgi import get_asgi_application

from config.environment import configure, load_settings

configure()
load_settings()
application = get_asgi_application()
