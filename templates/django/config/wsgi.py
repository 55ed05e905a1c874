"""WSGI entry point: `gunicorn config.wsgi`."""

from django.core.wsgi import get_wsgi_application

from config.environment import configure, load_settings

configure()
load_settings()
application = get_wsgi_application()
