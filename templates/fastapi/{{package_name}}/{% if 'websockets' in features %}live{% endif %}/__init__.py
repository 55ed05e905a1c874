"""Live updates: published articles pushed to WebSocket clients (GET /api/ws/articles).

Only the settings block is imported with the package: settings.py mixes it in, so the
rest (which needs models and settings) is imported when the application installs it.
"""

from __future__ import annotations

import importlib
import importlib.util
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from fastapi import FastAPI

    from ..resources import Resources

__all__ = ["configure_server", "install"]


def install(app: FastAPI, resources: Resources) -> None:
    from .events import HUB, PublishingSession
    from .hub import Hub
    from .routes import SCRIPT_URL, router, script

    settings = resources.settings
    hub = Hub(
        channel=f"{__package__.rpartition('.')[0]}:live:articles",
        redis_url=settings.redis_url,
        queue_size=settings.live_queue_size,
    )
    app.state.live = hub
    app.state.lifespan_parts.append(hub.running)
    # The sessions that write articles tell the hub what they published, after commit.
    resources.sessionmaker.configure(sync_session_class=PublishingSession, info={HUB: hub})
    app.include_router(router, prefix="/api")
    pages = f"{__package__.rpartition('.')[0]}.pages"
    if importlib.util.find_spec(pages) is not None:  # the HTML pages, when the project has them
        templates = importlib.import_module(f"{pages}.routes").templates
        app.add_api_route(SCRIPT_URL, script, include_in_schema=False)
        scripts = cast(list[str], templates.env.globals["page_scripts"])
        if SCRIPT_URL not in scripts:
            scripts.append(SCRIPT_URL)


def configure_server(config: Any, settings: Any) -> None:
    """uvicorn's WebSocket limits: the message size, and pings every LIVE_PING_SECONDS."""
    from .routes import MAX_MESSAGE_BYTES

    config.ws_max_size = MAX_MESSAGE_BYTES
    config.ws_ping_interval = settings.live_ping_seconds
