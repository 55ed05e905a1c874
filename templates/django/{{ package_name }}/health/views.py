"""Liveness and readiness probes."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ..core.responses import JSON_CONTENT_TYPE, method_not_allowed
from ..core.schema import documented_as
from . import services
from .serializers import Liveness, Readiness

LIVENESS_METHODS = ("GET", "HEAD")
ALIVE = b'{"status":"ok"}'


class LivenessView(APIView):
    """What the OpenAPI document says of `liveness`, which answers the requests."""

    authentication_classes = ()

    @extend_schema(summary="Liveness", responses={200: Liveness}, tags=["health"])
    def get(self, request: Request) -> Response:
        return Response({"status": "ok"})


@csrf_exempt
@documented_as(LivenessView)
def liveness(request: HttpRequest) -> HttpResponse:
    """Liveness, as a plain Django view: probes call it often, and it needs none of
    REST framework's per-request work (request wrapping, authentication, content
    negotiation, rendering), which cost as much as all the rest of the request.
    """
    if request.method not in LIVENESS_METHODS:
        return method_not_allowed(str(request.method), LIVENESS_METHODS)
    return HttpResponse(ALIVE, content_type=JSON_CONTENT_TYPE)


class ReadinessView(APIView):
    authentication_classes = ()

    @extend_schema(
        summary="Readiness: the database answers",
        responses={200: Readiness, 503: Readiness},
        tags=["health"],
    )
    def get(self, request: Request) -> Response:
        ready = services.database_is_reachable()
        body = {"status": "ok", "database": "ok" if ready else "error"}
        for check in services.readiness_checks:
            name, value, part_ready = check()
            body[name] = value
            ready = ready and part_ready
        if ready:
            return Response(body)
        body["status"] = "unavailable"
        return Response(body, status=status.HTTP_503_SERVICE_UNAVAILABLE)
