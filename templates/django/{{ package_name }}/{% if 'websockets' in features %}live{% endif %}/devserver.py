"""`make run` with live updates: uvicorn with autoreload, HTTP and WebSockets on HOST:PORT.

Django's runserver speaks WSGI only; this serves config.asgi like production,
with the same WebSocket limits, and stops with one line when the database
cannot be reached (like runserver, see manage.py).
"""

from __future__ import annotations

import os

import uvicorn

from config.database import require_database
from config.environment import PROJECT_DIR, configure, load_settings


def main() -> None:
    configure()
    load_settings()
    from django.conf import settings

    require_database()
    uvicorn.run(
        "config.asgi:application",
        host=os.environ.get("HOST") or "127.0.0.1",
        port=int(os.environ.get("PORT") or "8000"),
        reload=True,
        reload_dirs=[str(PROJECT_DIR)],
        ws="websockets-sansio",
        ws_max_size=settings.LIVE_MESSAGE_MAX_BYTES,
        ws_ping_interval=settings.LIVE_PING_SECONDS,
        ws_ping_timeout=settings.LIVE_PING_SECONDS,
        proxy_headers=False,
        lifespan="on",
    )


if __name__ == "__main__":
    main()
