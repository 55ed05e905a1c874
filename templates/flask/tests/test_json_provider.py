from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from flask import Flask
from markupsafe import Markup

pytestmark = pytest.mark.usefixtures("app_context")


def test_dumps_handles_the_usual_types(app: Flask) -> None:
    value = {
        "when": datetime(2026, 1, 31, 12, tzinfo=UTC),
        "price": Decimal("1.50"),
        "safe": Markup("<b>x</b>"),
        1: "non-string key",
    }
    assert app.json.loads(app.json.dumps(value)) == {
        "when": "2026-01-31T12:00:00+00:00",
        "price": "1.50",
        "safe": "<b>x</b>",
        "1": "non-string key",
    }


def test_dumps_refuses_unknown_objects(app: Flask) -> None:
    with pytest.raises(TypeError, match="not JSON serializable"):
        app.json.dumps({"thing": object()})
