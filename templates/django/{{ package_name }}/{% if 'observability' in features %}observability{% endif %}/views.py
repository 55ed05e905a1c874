"""GET /metrics: 404 unless METRICS_ENABLED; with METRICS_TOKEN, only for its bearer."""

from __future__ import annotations

import hmac

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse


def metrics_view(request: HttpRequest) -> HttpResponse:
    if not settings.METRICS_ENABLED:
        return JsonResponse({"detail": "Not Found"}, status=404)
    if settings.METRICS_TOKEN and not _has_the_token(request):
        return JsonResponse(
            {"detail": "Not authenticated"}, status=401, headers={"WWW-Authenticate": "Bearer"}
        )
    from .metrics import exposition

    body, content_type = exposition()
    return HttpResponse(body, content_type=content_type)


def _has_the_token(request: HttpRequest) -> bool:
    expected = f"Bearer {settings.METRICS_TOKEN}".encode()
    return hmac.compare_digest(request.headers.get("Authorization", "").encode(), expected)
