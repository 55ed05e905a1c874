"""Production: secrets from the environment, HTTPS everywhere, persistent connections."""

from django.core.exceptions import ImproperlyConfigured

from .base import *
from .database import database_config
from .env import env_bool, env_int, env_list, env_str, is_placeholder_secret

MINIMUM_SECRET_LENGTH = 32

SECRET_KEY = env_str("SECRET_KEY")
SECRET_KEY_IS_RANDOM = False
if is_placeholder_secret(SECRET_KEY):
    raise ImproperlyConfigured(
        "SECRET_KEY is missing or a placeholder; set a random one, e.g. "
        "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )
if len(SECRET_KEY) < MINIMUM_SECRET_LENGTH:
    raise ImproperlyConfigured(f"SECRET_KEY must be at least {MINIMUM_SECRET_LENGTH} characters")

DEBUG = env_bool("DEBUG", default=False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must list the host names the server answers to")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

DATABASES = {
    "default": database_config(
        env_str("DATABASE_URL", "sqlite:///db.sqlite3"),
        base_dir=BASE_DIR,
        conn_max_age=env_int("CONN_MAX_AGE", default=PRODUCTION_CONN_MAX_AGE),
        timeout=DB_TIMEOUT_SECONDS,
    )
}

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^api/health"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
