"""The smallest example of the route pattern: probes for load balancers and orchestrators."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response, status

from ..db import database_is_reachable
from ..dependencies import ResourcesDep
from .schemas import Liveness, Readiness

router = APIRouter(prefix="/health", tags=["health"])

# Probes must answer fast whatever DB_TIMEOUT_SECONDS is: a load balancer waits about 2 s.
READINESS_TIMEOUT_SECONDS = 1.25


@router.get("", summary="Liveness", response_model=Liveness)
async def liveness() -> Liveness:
    """The process answers; touches no database."""
    return Liveness()


@router.get(
    "/ready",
    summary="Readiness",
    response_model=Readiness,
    responses={
        503: {
            "model": Readiness,
            "description": "The database cannot be reached, or a part (such as a model) is missing",
        }
    },
)
async def readiness(request: Request, resources: ResourcesDep, response: Response) -> Readiness:
    """The database answers `SELECT 1` within 1.25 s (and each optional part is ready)."""
    reachable = await database_is_reachable(
        resources.engine, within_seconds=READINESS_TIMEOUT_SECONDS
    )
    fields: dict[str, str] = {"database": "ok" if reachable else "error"}
    ready = reachable
    for check in request.app.state.readiness_checks:
        name, value, part_ready = check()
        fields[name] = value
        ready = ready and part_ready
    if not ready:
        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    return Readiness.model_validate({"status": "ok" if ready else "unavailable", **fields})
