"""Development on your machine: DEBUG on, a .env file read (see config/environment.py)."""

from django.core.management.utils import get_random_secret_key

from .base import *
from .env import env_bool, env_str, is_placeholder_secret

DEBUG = env_bool("DEBUG", default=True)
# Without SECRET_KEY in .env (or with a placeholder), each start signs with a fresh
# random key, and says so in the log: tokens then last until the next restart.
SECRET_KEY = env_str("SECRET_KEY")
SECRET_KEY_IS_RANDOM = is_placeholder_secret(SECRET_KEY)
if SECRET_KEY_IS_RANDOM:
    SECRET_KEY = get_random_secret_key()

# Serve static files straight from the apps, without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
