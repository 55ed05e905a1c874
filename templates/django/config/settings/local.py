"""Development on your machine: DEBUG on, a .env file read (see config/environment.py)."""

from django.core.management.utils import get_random_secret_key

from .base import *
from .env import env_bool, env_str

DEBUG = env_bool("DEBUG", default=True)
# Without SECRET_KEY in .env, each start signs with a fresh random key (tokens
# then last until the next restart); never a fixed key that could leak.
SECRET_KEY = env_str("SECRET_KEY") or get_random_secret_key()

# Serve static files straight from the apps, without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
