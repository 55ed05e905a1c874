"""Gunicorn settings for production: `gunicorn config.wsgi` reads this file.

Threads in each worker overlap the time spent waiting on the database; each
thread keeps its own persistent database connection (CONN_MAX_AGE).
"""

import multiprocessing
import os

bind = f"{os.environ.get('HOST', '0.0.0.0')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# Load the app once in the master: a configuration error stops the start with
# one message, and workers share the loaded code's memory.
preload_app = True
keepalive = 5
timeout = 30
graceful_timeout = 30
# Recycle workers now and then so that a slow leak never grows without bound.
max_requests = 2000
max_requests_jitter = 200
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
