"""The live updates' settings block, mixed into the service's Settings."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings


class LiveSettings(BaseSettings):
    # Seconds between the server's WebSocket pings (a proxy drops a silent connection).
    live_ping_seconds: float = Field(default=20, gt=0, le=30)
    # Messages waiting for one slow client; when full, that socket is closed (1008).
    live_queue_size: int = Field(default=100, ge=1)
