"""LOG_FORMAT=json: every log line one JSON object (stdlib logging only; gunicorn uses it too)."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

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
            if value is not None and value != "-":
                entry[name] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)
