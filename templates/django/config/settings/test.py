"""The test suite: fast hashing, an in-memory database unless DATABASE_URL says otherwise."""

import os

# The suite brings its own Redis where a test needs one (TEST_REDIS_URL): a REDIS_URL meant
# for the server would queue the tests' mail where no worker reads it.
os.environ.pop("REDIS_URL", None)

from .base import *  # noqa: E402
from .database import database_config  # noqa: E402
from .env import env_str  # noqa: E402

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
