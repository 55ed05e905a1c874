"""HTTP in, HTTP out: registration, tokens, passwords, email verification, the current user."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request, Response, status
from fastapi.exceptions import RequestValidationError

from ..dependencies import ResourcesDep, SessionDep, client_address
from ..json_body import LimitedJSONRoute
from ..resources import Resources
from . import account_tokens, services, tokens
from .dependencies import CurrentAccess, CurrentUser, unauthorized
from .errors import (
    EmailTaken,
    InvalidAccountToken,
    InvalidCredentials,
    InvalidRefreshToken,
    PasswordLikeUsername,
    UsernameTaken,
    WrongPassword,
)
from .models import User
from .schemas import (
    EmailVerification,
    Message,
    PasswordChange,
    PasswordGrant,
    PasswordResetConfirm,
    PasswordResetRequest,
    RefreshRequest,
    Token,
    UserCreate,
    UserPublic,
)
from .throttle import LoginThrottle

router = APIRouter(route_class=LimitedJSONRoute)

RESET_SENT = "If the address is registered, a reset link has been sent."
VERIFICATION_SENT = "A verification link has been sent."
Responses = dict[int | str, dict[str, Any]]
CONFLICT = {"description": "The username or email is taken"}
UNAUTHORIZED: Responses = {status.HTTP_401_UNAUTHORIZED: {"description": "Not authenticated"}}
BAD_TOKEN: Responses = {
    status.HTTP_400_BAD_REQUEST: {"description": "The token is invalid, used or expired"}
}
THROTTLED: Responses = {status.HTTP_429_TOO_MANY_REQUESTS: {"description": "Too many requests"}}
WRONG_PASSWORD: Responses = {
    status.HTTP_400_BAD_REQUEST: {"description": "The current password is wrong"}
}
# Tokens in an answer must not land in a cache on the way.
NO_STORE = {"Cache-Control": "no-store"}


@router.post(
    "/auth/register",
    tags=["auth"],
    summary="Register an account",
    status_code=status.HTTP_201_CREATED,
    response_model=UserPublic,
    responses={status.HTTP_409_CONFLICT: CONFLICT},
)
async def register(data: UserCreate, session: SessionDep, resources: ResourcesDep) -> User:
    """Create an account; a verification link is mailed to its address."""
    try:
        user = await services.register_user(
            session=session, data=data, passwords=resources.passwords
        )
    except (UsernameTaken, EmailTaken) as error:
        raise HTTPException(status.HTTP_409_CONFLICT, detail=error.message) from error
    await account_tokens.send_verification(
        session=session, mailer=resources.mailer, links=links(resources), user=user
    )
    return user


@router.post(
    "/auth/token",
    tags=["auth"],
    summary="Log in: an access and a refresh token",
    response_model=Token,
    responses={
        status.HTTP_401_UNAUTHORIZED: {"description": "Wrong username or password"},
        status.HTTP_429_TOO_MANY_REQUESTS: {"description": "Too many failed attempts"},
    },
)
async def issue_token(
    form: Annotated[PasswordGrant, Form()],
    request: Request,
    response: Response,
    session: SessionDep,
    resources: ResourcesDep,
) -> Token:
    """OAuth2 password grant: form-encoded `username` and `password`."""
    throttle = resources.login_throttle
    client = client_address(request)
    wait = await throttle.attempt(username=form.username, client=client)
    if wait is not None:
        raise too_many(wait, "Too many failed login attempts; try again later.")
    try:
        user = await services.authenticate(
            session=session,
            username=form.username,
            password=form.password,
            passwords=resources.passwords,
        )
    except InvalidCredentials as error:
        raise unauthorized(error.message) from error
    await throttle.reset(username=form.username, client=client)
    refresh_token = await tokens.issue_refresh_token(
        session=session, user_id=user.id, lifetime=refresh_lifetime(resources)
    )
    response.headers.update(NO_STORE)
    return token_pair(resources, user, refresh_token)


@router.get(
    "/users/me",
    tags=["users"],
    summary="The signed-in user",
    response_model=UserPublic,
    responses=UNAUTHORIZED,
)
async def read_current_user(user: CurrentUser) -> User:
    return user


@router.post(
    "/auth/refresh",
    tags=["auth"],
    summary="Exchange a refresh token for a new pair",
    response_model=Token,
    responses={
        status.HTTP_401_UNAUTHORIZED: {
            "description": "The refresh token is invalid, expired, revoked or reused"
        }
    },
)
async def refresh(
    data: RefreshRequest, response: Response, session: SessionDep, resources: ResourcesDep
) -> Token:
    """The refresh token stops working; a reused one revokes every refresh token of its user."""
    try:
        user, refresh_token = await tokens.rotate_refresh_token(
            session=session, value=data.refresh_token, lifetime=refresh_lifetime(resources)
        )
    except InvalidRefreshToken as error:
        raise unauthorized(error.message) from error
    response.headers.update(NO_STORE)
    return token_pair(resources, user, refresh_token)


@router.post(
    "/auth/logout",
    tags=["auth"],
    summary="Log out: revoke the refresh token, deny the access token",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=UNAUTHORIZED,
)
async def logout(data: RefreshRequest, access: CurrentAccess, session: SessionDep) -> None:
    """The access token stops working at once, on every worker, until it would have expired."""
    await tokens.revoke_refresh_token(
        session=session, user_id=access.user.id, value=data.refresh_token
    )
    await session.commit()
    if access.claims.jti is not None:
        await tokens.deny_access_token(
            session=session, jti=access.claims.jti, expires_at=access.claims.expires_at
        )


@router.post(
    "/auth/password",
    tags=["auth"],
    summary="Change the password",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=WRONG_PASSWORD | UNAUTHORIZED,
)
async def change_password(
    data: PasswordChange, user: CurrentUser, session: SessionDep, resources: ResourcesDep
) -> None:
    """Every refresh token of the user is revoked, and every open reset link dies."""
    try:
        await services.change_password(
            session=session,
            passwords=resources.passwords,
            user=user,
            current_password=data.current_password,
            new_password=data.new_password,
        )
    except WrongPassword as error:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, detail=error.message) from error
    except PasswordLikeUsername as error:
        raise weak_password("new_password", error) from error


@router.post(
    "/auth/password-reset",
    tags=["auth"],
    summary="Mail a password reset link",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=Message,
    responses=THROTTLED,
)
async def request_password_reset(
    data: PasswordResetRequest, request: Request, session: SessionDep, resources: ResourcesDep
) -> Message:
    """The same answer whether or not the address is registered."""
    await throttled(resources.reset_throttle, data.email, client_address(request))
    await account_tokens.send_password_reset(
        session=session, mailer=resources.mailer, links=links(resources), email=data.email
    )
    return Message(detail=RESET_SENT)


@router.post(
    "/auth/password-reset/confirm",
    tags=["auth"],
    summary="Set a new password with a reset token",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=BAD_TOKEN,
)
async def confirm_password_reset(
    data: PasswordResetConfirm, session: SessionDep, resources: ResourcesDep
) -> None:
    """The token is single-use; every refresh token of the user is revoked."""
    try:
        await account_tokens.reset_password(
            session=session, passwords=resources.passwords, token=data.token, password=data.password
        )
    except InvalidAccountToken as error:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, detail=error.message) from error
    except PasswordLikeUsername as error:
        raise weak_password("password", error) from error


@router.post(
    "/auth/verify-email",
    tags=["auth"],
    summary="Verify the email address with a mailed token",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=BAD_TOKEN,
)
async def verify_email(data: EmailVerification, session: SessionDep) -> None:
    try:
        await account_tokens.verify_email(session=session, token=data.token)
    except InvalidAccountToken as error:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, detail=error.message) from error


@router.post(
    "/auth/verify-email/resend",
    tags=["auth"],
    summary="Mail another verification link",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=Message,
    responses=UNAUTHORIZED | THROTTLED,
)
async def resend_verification(
    user: CurrentUser, session: SessionDep, resources: ResourcesDep
) -> Message:
    """None is sent when the address is verified already; the answer is the same."""
    await throttled(resources.verification_throttle, user.username, client="")
    await account_tokens.send_verification(
        session=session, mailer=resources.mailer, links=links(resources), user=user
    )
    return Message(detail=VERIFICATION_SENT)


def links(resources: Resources) -> account_tokens.Links:
    return account_tokens.Links.from_settings(resources.settings)


def refresh_lifetime(resources: Resources) -> timedelta:
    return timedelta(days=resources.settings.refresh_token_expire_days)


def token_pair(resources: Resources, user: User, refresh_token: str) -> Token:
    settings = resources.settings
    lifetime = timedelta(minutes=settings.access_token_expire_minutes)
    access_token = services.create_access_token(
        user_id=user.id,
        secret_key=settings.secret_key,
        algorithm=settings.jwt_algorithm,
        lifetime=lifetime,
    )
    return Token(
        access_token=access_token,
        expires_in=int(lifetime.total_seconds()),
        refresh_token=refresh_token,
    )


def too_many(wait: int, detail: str = "Too many requests; try again later.") -> HTTPException:
    return HTTPException(
        status.HTTP_429_TOO_MANY_REQUESTS, detail=detail, headers={"Retry-After": str(wait)}
    )


async def throttled(throttle: LoginThrottle, identity: str, client: str) -> None:
    """Count the request; 429 with Retry-After past the limit."""
    wait = await throttle.attempt(username=identity, client=client)
    if wait is not None:
        raise too_many(wait)


def weak_password(field: str, error: PasswordLikeUsername) -> RequestValidationError:
    """422 in the shape of the schemas' own validation errors."""
    issue: dict[str, Any] = {"loc": ("body", field), "msg": error.message, "type": "value_error"}
    return RequestValidationError([issue])
