"""Response headers every answer carries, request IDs, HTTPS and CORS."""

from __future__ import annotations

import re
import uuid

from flask import Flask, g, redirect, request
from flask_cors import CORS
from werkzeug.wrappers import Response

from .settings import Settings

REQUEST_ID_HEADER = "X-Request-ID"
SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,200}$")
HSTS = "max-age=31536000; includeSubDomains"
DOCS_PAGES = ("/api/docs", "/api/redoc")
HEALTH_PROBES = "/api/health"
# The docs pages run only their own scripts; images may not leave the origin
# (ReDoc would otherwise fetch its vendor logo from a CDN).
DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; worker-src 'self' blob:; font-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)
JSON_CSP = "default-src 'none'; frame-ancestors 'none'"
STATIC_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def init_app(app: Flask, settings: Settings) -> None:
    app.before_request(_assign_request_id)
    if settings.secure_ssl_redirect:
        app.before_request(_redirect_to_https)
    hsts = settings.is_production

    @app.after_request
    def _add_headers(response: Response) -> Response:
        response.headers.update(STATIC_HEADERS)
        response.headers[REQUEST_ID_HEADER] = g.get("request_id") or _new_request_id()
        _add_content_security_policy(response)
        if hsts:
            response.headers["Strict-Transport-Security"] = HSTS
        return response

    if settings.cors_origins:
        CORS(app, resources={r"/api/*": {"origins": list(settings.cors_origins)}})
        app.after_request(_vary_on_origin)


def _vary_on_origin(response: Response) -> Response:
    # The answer depends on Origin even when it carries no CORS header: caches must know.
    if request.path.startswith("/api"):
        response.vary.add("Origin")
    return response


def _add_content_security_policy(response: Response) -> None:
    if request.path in DOCS_PAGES:
        response.headers["Content-Security-Policy"] = DOCS_CSP
    elif response.mimetype == "application/json":
        response.headers["Content-Security-Policy"] = JSON_CSP


def _new_request_id() -> str:
    return uuid.uuid4().hex


def _assign_request_id() -> None:
    sent = request.headers.get(REQUEST_ID_HEADER, "")
    g.request_id = sent if SAFE_REQUEST_ID.match(sent) else _new_request_id()


def _redirect_to_https() -> Response | None:
    # Load balancers and container health checks probe over plain HTTP.
    if request.is_secure or request.path.startswith(HEALTH_PROBES):
        return None
    return redirect(request.url.replace("http://", "https://", 1), code=308)
