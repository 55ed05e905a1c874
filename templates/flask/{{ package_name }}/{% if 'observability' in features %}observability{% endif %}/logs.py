"""LOG_FORMAT=json: every log line one JSON object (stdlib logging; gunicorn uses it too)."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

from flask import has_request_context, request

from ..security import REQUEST_ID_ENVIRON

# Fields that the access line and other callers pass with `extra=`.
EXTRA_FIELDS = ("method", "path", "status", "duration_ms", "request_id")


class JSONFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in EXTRA_FIELDS:
            value = getattr(record, name, None)
            if value is not None:
                entry[name] = value
        if "request_id" not in entry and has_request_context():
            entry["request_id"] = request.environ.get(REQUEST_ID_ENVIRON)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


def use_json_logs() -> None:
    """Every handler of the root logger writes JSON from now on."""
    root = logging.getLogger()
    if not root.handlers:
        logging.basicConfig()
    for handler in root.handlers:
        handler.setFormatter(JSONFormatter())
