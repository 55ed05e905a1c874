"""Response headers every answer carries, request IDs, HTTPS and CORS."""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from flask import Flask, Request, redirect, request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface, SessionMixin
from flask.wrappers import Response as FlaskResponse
from flask_cors import CORS
from werkzeug.wrappers import Response

from .settings import Settings

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

REQUEST_ID_HEADER = "X-Request-ID"
# The request ID in the WSGI environ, for whoever logs about the request.
REQUEST_ID_ENVIRON = "request_id"
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
    app.session_interface = CookieSessions()
    if settings.secure_ssl_redirect:
        app.before_request(_redirect_to_https)
    if settings.cors_origins:
        CORS(app, resources={r"/api/*": {"origins": list(settings.cors_origins)}})
        app.after_request(_vary_on_origin)
    app.wsgi_app = SecurityHeaders(app.wsgi_app, hsts=settings.is_production)  # type: ignore[method-assign]


class SecurityHeaders:
    """WSGI middleware: the security headers and X-Request-ID on every answer.

    Plain list appends on the way out: Werkzeug's Headers.set per header, in an
    after_request hook, cost as much as a small view.
    """

    def __init__(self, app: WSGIApplication, *, hsts: bool) -> None:
        self.app = app
        static = {**STATIC_HEADERS, **({"Strict-Transport-Security": HSTS} if hsts else {})}
        self.static = [(name.lower(), name, value) for name, value in static.items()]

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        sent = environ.get("HTTP_X_REQUEST_ID", "")
        request_id = sent if SAFE_REQUEST_ID.match(sent) else _new_request_id()
        environ[REQUEST_ID_ENVIRON] = request_id
        docs_page = environ.get("PATH_INFO") in DOCS_PAGES

        def secured(
            status: str, headers: list[tuple[str, str]], exc_info: Any = None
        ) -> Callable[[bytes], object]:
            present = {name.lower(): value for name, value in headers}
            headers.extend((name, value) for key, name, value in self.static if key not in present)
            headers.append((REQUEST_ID_HEADER, request_id))
            policy = _content_security_policy(docs_page, present.get("content-type", ""))
            if policy and "content-security-policy" not in present:
                headers.append(("Content-Security-Policy", policy))
            return start_response(status, headers, exc_info)

        return self.app(environ, secured)


class CookieSessions(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, with nothing done for requests that have none.

    Flask builds a signing serializer for every request and reads the cookie
    settings for every response; API calls carry no session cookie at all.
    """

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        if "HTTP_COOKIE" not in request.environ:
            return self.session_class()
        return super().open_session(app, request)

    def save_session(self, app: Flask, session: SessionMixin, response: FlaskResponse) -> None:
        if session or session.modified or session.accessed:
            super().save_session(app, session, response)


def _vary_on_origin(response: Response) -> Response:
    # The answer depends on Origin even when it carries no CORS header: caches must know.
    if request.path.startswith("/api"):
        response.vary.add("Origin")
    return response


def _content_security_policy(docs_page: bool, content_type: str) -> str | None:
    if docs_page:
        return DOCS_CSP
    if content_type.partition(";")[0].strip().lower() == "application/json":
        return JSON_CSP
    return None


def _new_request_id() -> str:
    """128 random bits in hex, like uuid4().hex.

    From the process's own generator (reseeded in each forked worker), not from the
    kernel's: uuid4 reads os.urandom, which lets go of the GIL for its system call, and
    the thread then waits for the other request threads to hand it back. An ID that
    ties log lines together needs to be unique, not secret.
    """
    return f"{random.getrandbits(128):032x}"


def _redirect_to_https() -> Response | None:
    # Load balancers and container health checks probe over plain HTTP.
    if request.is_secure or request.path.startswith(HEALTH_PROBES):
        return None
    return redirect(request.url.replace("http://", "https://", 1), code=308)
