"""CSRF tokens bound to the admin session: every state-changing admin request must echo one.

Forms carry it as the hidden field `csrf_token` (added by the templates in templates/);
the admin's script requests (delete) send it as the `X-CSRF-Token` header.
"""

from __future__ import annotations

import secrets

from markupsafe import Markup
from starlette.exceptions import HTTPException
from starlette.requests import Request

FIELD_NAME = "csrf_token"
HEADER_NAME = "x-csrf-token"
SESSION_KEY = "csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def csrf_token(request: Request) -> str:
    """The session's token, made on first use."""
    token = request.session.get(SESSION_KEY)
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session[SESSION_KEY] = token
    return token


def csrf_input(request: Request) -> Markup:
    return Markup('<input type="hidden" name="{}" value="{}">').format(
        FIELD_NAME, csrf_token(request)
    )


async def require_csrf_token(request: Request) -> None:
    """403 for a state-changing request whose token is missing or not the session's."""
    if request.method in SAFE_METHODS:
        return
    expected = request.session.get(SESSION_KEY)
    sent = request.headers.get(HEADER_NAME)
    if sent is None and request.method == "POST":
        field = (await request.form()).get(FIELD_NAME)
        sent = field if isinstance(field, str) else None
    if not (
        isinstance(expected, str)
        and sent is not None
        and secrets.compare_digest(sent.encode(errors="replace"), expected.encode())
    ):
        raise HTTPException(403, detail="The form has expired or did not come from this site.")
