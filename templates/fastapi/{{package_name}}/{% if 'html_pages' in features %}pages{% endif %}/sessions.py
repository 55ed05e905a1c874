"""Who is signed in on the pages: a signed session cookie, and the messages shown once.

The cookie is HttpOnly, SameSite=Lax and, in production, Secure. It carries the user's id
and a fingerprint of their password hash, so that a password change or reset signs out
every other browser, as the refresh tokens are revoked for the API.
"""

from __future__ import annotations

import hashlib
import hmac

from sqlalchemy.ext.asyncio import AsyncSession
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from ..csrf import rotate_csrf_token
from ..users.models import User

SESSION_COOKIE = "sessionid"
SESSION_SECONDS = 14 * 24 * 3600
USER_KEY = "user_id"
AUTH_KEY = "auth"
FLASH_KEY = "flash"
# The API takes bearer tokens and the admin keeps a session of its own: neither gets this one.
WITHOUT_SESSION = ("/api/", "/admin/", "/static/")


class PageSessionMiddleware:
    """The session for the pages; other paths pass by without a cookie being read or set."""

    def __init__(self, app: ASGIApp, *, secret_key: str, https_only: bool) -> None:
        self.app = app
        self.with_session = SessionMiddleware(
            app,
            secret_key=secret_key,
            session_cookie=SESSION_COOKIE,
            max_age=SESSION_SECONDS,
            same_site="lax",
            https_only=https_only,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not f"{scope['path']}/".startswith(WITHOUT_SESSION):
            await self.with_session(scope, receive, send)
        else:
            await self.app(scope, receive, send)


def fingerprint(user: User, secret_key: str) -> str:
    return hmac.new(secret_key.encode(), user.hashed_password.encode(), hashlib.sha256).hexdigest()[
        :32
    ]


def sign_in(request: Request, user: User, *, secret_key: str) -> None:
    """A fresh session for the user: nothing from before is kept, the CSRF token included."""
    request.session.clear()
    request.session.update({USER_KEY: user.id, AUTH_KEY: fingerprint(user, secret_key)})
    rotate_csrf_token(request)


def sign_out(request: Request) -> None:
    request.session.clear()


async def signed_in_user(
    request: Request, session: AsyncSession, *, secret_key: str
) -> User | None:
    """The session's user, while active and with the password they signed in with."""
    user_id = request.session.get(USER_KEY)
    if not isinstance(user_id, int):
        return None
    user = await session.get(User, user_id)
    if user is None or not user.is_active:
        return None
    expected = fingerprint(user, secret_key)
    if not hmac.compare_digest(str(request.session.get(AUTH_KEY, "")), expected):
        return None
    return user


def flash(request: Request, message: str) -> None:
    request.session[FLASH_KEY] = [*request.session.get(FLASH_KEY, []), message]


def pop_flashes(request: Request) -> list[str]:
    if "session" not in request.scope:
        return []
    return [str(message) for message in request.session.pop(FLASH_KEY, [])]
