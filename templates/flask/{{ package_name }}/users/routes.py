from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import current_app, request
from flask.views import MethodView
from werkzeug.exceptions import Conflict, TooManyRequests

from ..api import Blueprint
from .auth import SECURITY, current_user, unauthorized
from .errors import EmailTaken, InvalidCredentials, LoginThrottled, UsernameTaken
from .models import User
from .schemas import Token, TokenRequest, UserCreate, UserPublic
from .services import authenticate_throttled, create_access_token, register_user

blp = Blueprint("users", __name__, url_prefix="/api", description="Accounts and tokens")


@blp.route("/auth/register", methods=["POST"])
@blp.doc(operationId="register")
@blp.arguments(UserCreate)
@blp.response(201, UserPublic)
@blp.alt_response(409, description="The username or email is taken")
def register(data: dict[str, Any]) -> User:
    try:
        return register_user(**data)
    except (UsernameTaken, EmailTaken) as error:
        raise Conflict(error.message) from None


@blp.route("/auth/token", methods=["POST"])
@blp.doc(operationId="issue_token")
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
    lifetime = timedelta(minutes=current_app.config["ACCESS_TOKEN_EXPIRE_MINUTES"])
    token = create_access_token(
        user=user, secret_key=current_app.config["SECRET_KEY"], expires_in=lifetime
    )
    return {
        "access_token": token,
        "token_type": "bearer",
        "expires_in": int(lifetime.total_seconds()),
    }


@blp.route("/users/me")
class CurrentUser(MethodView):
    @blp.doc(operationId="read_current_user", security=SECURITY)
    @blp.response(200, UserPublic)
    @blp.alt_response(401, description="Not authenticated")
    def get(self) -> User:
        return current_user()
