from __future__ import annotations

from datetime import timedelta
from typing import Any, NoReturn

from flask import current_app, request
from flask.views import MethodView
from flask_smorest import abort
from werkzeug.exceptions import BadRequest, Conflict, TooManyRequests

from ..api import Blueprint
from . import lifecycle
from .auth import SECURITY, current_access_token, current_user, unauthorized
from .errors import (
    EmailTaken,
    InvalidAccountToken,
    InvalidCredentials,
    InvalidRefreshToken,
    LoginThrottled,
    PasswordLikeUsername,
    UsernameTaken,
    WrongPassword,
)
from .models import User
from .schemas import (
    Detail,
    EmailVerification,
    PasswordChange,
    PasswordResetConfirm,
    PasswordResetRequest,
    RefreshRequest,
    Token,
    TokenRequest,
    UserCreate,
    UserPublic,
)
from .services import authenticate_throttled, create_access_token, register_user
from .throttle import LoginThrottle

RESET_SENT = "If the address is registered, a reset link has been sent."
VERIFICATION_SENT = "A verification link has been sent."

blp = Blueprint("users", __name__, url_prefix="/api", description="The caller's account")
AUTH_TAG = {"name": "auth", "description": "Registration, tokens, passwords and email"}
AUTH_TAGS = [AUTH_TAG["name"]]


@blp.route("/auth/register", methods=["POST"])
@blp.doc(operationId="register", tags=AUTH_TAGS)
@blp.arguments(UserCreate)
@blp.response(201, UserPublic)
@blp.alt_response(409, description="The username or email is taken")
def register(data: dict[str, Any]) -> User:
    """Create an account; a verification link is emailed to it."""
    try:
        user = register_user(**data)
    except (UsernameTaken, EmailTaken) as error:
        raise Conflict(error.message) from None
    lifecycle.send_verification(user=user, links=mail_links())
    return user


@blp.route("/auth/token", methods=["POST"])
@blp.doc(operationId="issue_token", tags=AUTH_TAGS)
@blp.arguments(TokenRequest, location="form")
@blp.response(200, Token)
@blp.alt_response(401, description="Wrong username or password")
@blp.alt_response(429, description="Too many failed attempts")
def issue_token(form: dict[str, str]) -> dict[str, Any]:
    """OAuth2 password grant: form-encoded username and password."""
    try:
        user = authenticate_throttled(
            username=form["username"],
            password=form["password"],
            client_ip=request.remote_addr or "unknown",
            throttle=current_app.extensions["login_throttle"],
        )
    except LoginThrottled as error:
        raise TooManyRequests(retry_after=error.retry_after) from None
    except InvalidCredentials as error:
        raise unauthorized(error.message) from None
    refresh_token = lifecycle.issue_refresh_token(user=user, lifetime=_refresh_lifetime())
    return token_pair(user, refresh_token)


def token_pair(user: User, refresh_token: str) -> dict[str, Any]:
    lifetime = timedelta(minutes=current_app.config["ACCESS_TOKEN_EXPIRE_MINUTES"])
    token = create_access_token(
        user=user, secret_key=current_app.config["SECRET_KEY"], expires_in=lifetime
    )
    return {
        "access_token": token,
        "token_type": "bearer",
        "expires_in": int(lifetime.total_seconds()),
        "refresh_token": refresh_token,
    }


def _refresh_lifetime() -> timedelta:
    return timedelta(days=current_app.extensions["settings"].refresh_token_expire_days)


def mail_links() -> lifecycle.MailLinks:
    settings = current_app.extensions["settings"]
    return lifecycle.mail_links(
        site_url=settings.site_url,
        reset_minutes=settings.password_reset_expire_minutes,
        verification_hours=settings.email_verification_expire_hours,
    )


def _client_ip() -> str:
    return request.remote_addr or "unknown"


def _throttle(name: str, key: str) -> None:
    """Count one request of `name` for `key` and this address; 429 past the limit."""
    throttle: LoginThrottle = current_app.extensions[name]
    retry_after = throttle.reserve(username=key, client_ip=_client_ip())
    if retry_after is not None:
        raise TooManyRequests(retry_after=retry_after)


@blp.route("/auth/refresh", methods=["POST"])
@blp.doc(operationId="refresh_token", tags=AUTH_TAGS)
@blp.arguments(RefreshRequest)
@blp.response(200, Token)
@blp.alt_response(401, description="The refresh token is invalid, expired, revoked or reused")
def refresh(data: dict[str, str]) -> dict[str, Any]:
    """Trade a refresh token for a new access token and a new refresh token."""
    try:
        user, refresh_token = lifecycle.rotate_refresh_token(
            token=data["refresh_token"], lifetime=_refresh_lifetime()
        )
    except InvalidRefreshToken as error:
        raise unauthorized(error.message) from None
    return token_pair(user, refresh_token)


@blp.route("/auth/logout", methods=["POST"])
@blp.doc(operationId="logout", tags=AUTH_TAGS, security=SECURITY)
@blp.arguments(RefreshRequest)
@blp.response(204)
@blp.alt_response(401, description="Not authenticated")
def logout(data: dict[str, str]) -> None:
    """Revoke the refresh token; the access token stops working at once."""
    access = current_access_token()
    lifecycle.log_out(
        user=access.user,
        refresh_token=data["refresh_token"],
        jti=access.jti,
        access_expires_at=access.expires_at,
    )


@blp.route("/auth/password", methods=["POST"])
@blp.doc(operationId="change_password", tags=AUTH_TAGS, security=SECURITY)
@blp.arguments(PasswordChange)
@blp.response(204)
@blp.alt_response(400, description="The current password is wrong")
@blp.alt_response(401, description="Not authenticated")
def change_password(data: dict[str, str]) -> None:
    """Change the caller's password; every refresh token of the caller is revoked."""
    user = current_user()
    try:
        lifecycle.change_password(
            user=user,
            current_password=data["current_password"],
            new_password=data["new_password"],
        )
    except WrongPassword as error:
        raise BadRequest(error.message) from None
    except PasswordLikeUsername as error:
        weak_password("new_password", error)


@blp.route("/auth/password-reset", methods=["POST"])
@blp.doc(operationId="request_password_reset", tags=AUTH_TAGS)
@blp.arguments(PasswordResetRequest)
@blp.response(202, Detail)
@blp.alt_response(429, description="Too many requests")
def request_password_reset(data: dict[str, str]) -> dict[str, str]:
    """Email a reset link when the address is registered (the answer does not tell)."""
    _throttle("reset_throttle", data["email"])
    lifecycle.request_password_reset(email=data["email"], links=mail_links())
    return {"detail": RESET_SENT}


@blp.route("/auth/password-reset/confirm", methods=["POST"])
@blp.doc(operationId="confirm_password_reset", tags=AUTH_TAGS)
@blp.arguments(PasswordResetConfirm)
@blp.response(204)
@blp.alt_response(400, description="The token is invalid, expired or used")
def confirm_password_reset(data: dict[str, str]) -> None:
    """Set a new password with the token from the reset email."""
    try:
        lifecycle.reset_password(token=data["token"], password=data["password"])
    except InvalidAccountToken as error:
        raise BadRequest(error.message) from None
    except PasswordLikeUsername as error:
        weak_password("password", error)


@blp.route("/auth/verify-email", methods=["POST"])
@blp.doc(operationId="verify_email", tags=AUTH_TAGS)
@blp.arguments(EmailVerification)
@blp.response(204)
@blp.alt_response(400, description="The token is invalid, expired or used")
def verify_email(data: dict[str, str]) -> None:
    """Confirm the email address with the token from the verification email."""
    try:
        lifecycle.verify_email(token=data["token"])
    except InvalidAccountToken as error:
        raise BadRequest(error.message) from None


@blp.route("/auth/verify-email/resend", methods=["POST"])
@blp.doc(operationId="resend_verification", tags=AUTH_TAGS, security=SECURITY)
@blp.response(202, Detail)
@blp.alt_response(401, description="Not authenticated")
@blp.alt_response(429, description="Too many requests")
def resend_verification() -> dict[str, str]:
    """Email a new verification link (none when the address is verified already)."""
    user = current_user()
    _throttle("verification_throttle", str(user.id))
    lifecycle.send_verification(user=user, links=mail_links())
    return {"detail": VERIFICATION_SENT}


@blp.route("/users/me")
class CurrentUser(MethodView):
    @blp.doc(operationId="read_current_user", security=SECURITY)
    @blp.response(200, UserPublic)
    @blp.alt_response(401, description="Not authenticated")
    def get(self) -> User:
        """The authenticated caller."""
        return current_user()


def weak_password(field: str, error: PasswordLikeUsername) -> NoReturn:
    """422 in the shape the schemas' own validation errors have."""
    abort(422, messages={"json": {field: [error.message]}})
    raise AssertionError("abort returned")  # flask_smorest.abort is not annotated NoReturn
