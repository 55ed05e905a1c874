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
        if services.database_is_reachable():
            return Response({"status": "ok", "database": "ok"})
        return Response(
            {"status": "unavailable", "database": "error"},
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
        )
