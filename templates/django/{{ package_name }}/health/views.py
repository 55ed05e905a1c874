"""Liveness and readiness probes."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from . import services
from .serializers import Liveness, Readiness


class LivenessView(APIView):
    authentication_classes = ()

    @extend_schema(summary="Liveness", responses={200: Liveness}, tags=["health"])
    def get(self, request: Request) -> Response:
        return Response({"status": "ok"})


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
