from __future__ import annotations

from ..api import Blueprint
from .schemas import Liveness, Readiness
from .services import readiness

blp = Blueprint("health", __name__, url_prefix="/api/health", description="Health probes")


@blp.route("")
@blp.doc(operationId="health_live")
@blp.response(200, Liveness)
def live() -> dict[str, str]:
    """Liveness: the process answers; touches no database."""
    return {"status": "ok"}


@blp.route("/ready")
@blp.doc(operationId="health_ready")
@blp.response(200, Readiness)
@blp.alt_response(503, schema=Readiness, description="The database cannot be reached")
def ready() -> tuple[dict[str, str], int]:
    """Readiness: the database answers within 2 seconds."""
    is_ready, body = readiness()
    return body, 200 if is_ready else 503
