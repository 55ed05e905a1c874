"""Production server settings; every value can be overridden from the environment."""

import os

bind = f"{os.environ.get('HOST', '0.0.0.0')}:{os.environ.get('PORT', '8000')}"  # noqa: S104
# Threads let one worker overlap database and network waits; Flask views are sync.
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", str(min(2 * (os.cpu_count() or 1) + 1, 8))))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
# Recycle workers now and then so slow leaks cannot grow without bound.
# Off by default: at a few thousand requests a second a fixed limit would restart
# workers every few seconds. Set MAX_REQUESTS to recycle them against a leak.
max_requests = int(os.environ.get("MAX_REQUESTS", "0"))
max_requests_jitter = int(os.environ.get("MAX_REQUESTS_JITTER", str(max_requests // 10)))
# Build the app once in the master: workers fork with it ready (and fail fast on bad settings).
preload_app = True
accesslog = "-" if os.environ.get("GUNICORN_ACCESS_LOG", "").lower() in {"1", "true"} else None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# X-Forwarded-* are read by the application (proxies.py), from TRUSTED_PROXIES only;
# gunicorn's own default would believe 127.0.0.1.
forwarded_allow_ips = os.environ.get("TRUSTED_PROXIES", "")
secure_scheme_headers: dict[str, str] = {}
# Room for long query strings (searches); 8190 is gunicorn's ceiling.
limit_request_line = 8190
