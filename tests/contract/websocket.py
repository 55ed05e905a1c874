"""Small helpers for the contract's live-updates endpoint, shared by the WebSocket tests."""

from __future__ import annotations

import json
import time
from typing import Any

from websockets.sync.client import ClientConnection

PATH = "/api/ws/articles"


def ws_url(base_url: str) -> str:
    return base_url.replace("http://", "ws://", 1) + PATH


def next_event(client: ClientConnection, timeout: float) -> dict[str, Any]:
    event: dict[str, Any] = json.loads(client.recv(timeout=timeout))
    return event


def event_about(client: ClientConnection, slug: str, timeout: float) -> dict[str, Any]:
    """The first event about `slug`; events of other servers on the same Redis are skipped."""
    deadline = time.monotonic() + timeout
    while True:
        event = next_event(client, timeout=max(0.0, deadline - time.monotonic()))
        if event.get("article", {}).get("slug") == slug:
            return event
