"""GET /metrics (only when METRICS_ENABLED); with METRICS_TOKEN, only for its bearer."""

from __future__ import annotations

import hmac
from collections.abc import Callable

from flask import Response, jsonify, request


def metrics_view(token: str | None) -> Callable[[], Response]:
    expected = f"Bearer {token}".encode() if token else None

    def metrics() -> Response:
        if expected is not None and not _bears(expected):
            answer = jsonify(detail="Not authenticated")
            answer.status_code = 401
            answer.headers["WWW-Authenticate"] = "Bearer"
            return answer
        from .metrics import exposition

        body, content_type = exposition()
        return Response(body, content_type=content_type)

    return metrics


def _bears(expected: bytes) -> bool:
    sent = request.headers.get("Authorization", "").encode("utf-8", "replace")
    return hmac.compare_digest(sent, expected)
