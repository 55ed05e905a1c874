from __future__ import annotations

from flask import Response

from ..api import Blueprint
from ..json_provider import json_response
from .schemas import Liveness, Readiness
from .services import readiness

# A constant answer needs no schema dump (Liveness documents it).
LIVE = {"status": "ok"}
blp = Blueprint("health", __name__, url_prefix="/api/health", description="Health probes")


@blp.route("")
@blp.doc(operationId="health_live")
@blp.response(200, Liveness)
def live() -> Response:
    """Liveness: the process answers; touches no database."""
    return json_response(LIVE)


@blp.route("/ready")
@blp.doc(operationId="health_ready")
@blp.response(200, Readiness)
@blp.alt_response(503, schema=Readiness, description="The database cannot be reached")
def ready() -> tuple[dict[str, str], int]:
    """Readiness: the database answers within 2 seconds."""
    is_ready, body = readiness()
    return body, 200 if is_ready else 503
