"""Live updates: GET /api/ws/articles streams every article as it becomes published.

Each WebSocket holds one server thread (gunicorn's gthread worker, flask-sock) and gets
a bounded queue of its own. An article's publication, once its transaction commits, goes
to Redis (REDIS_URL) and one listener thread per worker process fills the queues of that
process's connections; without Redis it fills the queues of this process only.
"""

from __future__ import annotations

import logging
import os

from flask import Flask

from ..settings import SettingsError
from .events import listen_for_publications
from .hub import Hub, LocalFanout, RedisFanout
from .routes import SCRIPT, blp
from .settings import LiveSettings

__all__ = ["init_app"]

logger = logging.getLogger(__name__)

NO_REDIS = "live updates: REDIS_URL is not set; only clients of this process receive events"


def init_app(app: Flask) -> None:
    try:
        live = LiveSettings.from_environ(os.environ)
    except SettingsError as error:
        raise SystemExit(error.line()) from None
    hub = Hub(queue_size=live.queue_size, max_connections=live.max_connections)
    redis_url = app.extensions["settings"].redis_url
    fanout = RedisFanout(hub, redis_url, channel=live.channel) if redis_url else LocalFanout(hub)
    app.extensions["live"] = fanout
    app.config["SOCK_SERVER_OPTIONS"] = {
        "ping_interval": live.ping_seconds,
        "max_message_size": live.max_message_bytes,
    }
    app.register_blueprint(blp)
    app.extensions.setdefault("page_scripts", []).append(SCRIPT)
    listen_for_publications()
    if redis_url is None and app.extensions["settings"].environment != "test":
        logger.warning(NO_REDIS)
        # With gunicorn's preload the app is built once, then each worker forks from it.
        os.register_at_fork(after_in_child=lambda: logger.warning(NO_REDIS))
