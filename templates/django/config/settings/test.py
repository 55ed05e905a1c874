"""The test suite: fast hashing, an in-memory database unless DATABASE_URL says otherwise."""

from .base import *
from .database import database_config
from .env import env_str

DEBUG = False
SECRET_KEY = "test-only-signing-key-that-is-long-enough-for-hs256-0123456789"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]

DATABASES = {
    "default": database_config(
        env_str("DATABASE_URL", "sqlite://:memory:"),
        base_dir=BASE_DIR,
        conn_max_age=0,
        timeout=DB_TIMEOUT_SECONDS,
    )
}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}

LOGGING["root"]["level"] = "WARNING"  # type: ignore[index]
