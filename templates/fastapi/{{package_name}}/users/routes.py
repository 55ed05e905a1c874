"""HTTP in, HTTP out: registration, tokens and the current user."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request, status

from ..dependencies import ResourcesDep, SessionDep, client_address
from ..json_body import LimitedJSONRoute
from . import services
from .dependencies import CurrentUser, unauthorized
from .errors import EmailTaken, InvalidCredentials, UsernameTaken
from .models import User
from .schemas import PasswordGrant, Token, UserCreate, UserPublic

router = APIRouter(route_class=LimitedJSONRoute)

CONFLICT = {"description": "The username or email is taken"}


@router.post(
    "/auth/register",
    tags=["auth"],
    summary="Register an account",
    status_code=status.HTTP_201_CREATED,
    response_model=UserPublic,
    responses={status.HTTP_409_CONFLICT: CONFLICT},
)
async def register(data: UserCreate, session: SessionDep, resources: ResourcesDep) -> User:
    try:
        return await services.register_user(
            session=session, data=data, passwords=resources.passwords
        )
    except (UsernameTaken, EmailTaken) as error:
        raise HTTPException(status.HTTP_409_CONFLICT, detail=error.message) from error


@router.post(
    "/auth/token",
    tags=["auth"],
    summary="Issue an access token",
    response_model=Token,
    responses={
        status.HTTP_401_UNAUTHORIZED: {"description": "Wrong username or password"},
        status.HTTP_429_TOO_MANY_REQUESTS: {"description": "Too many failed attempts"},
    },
)
async def issue_token(
    form: Annotated[PasswordGrant, Form()],
    request: Request,
    session: SessionDep,
    resources: ResourcesDep,
) -> Token:
    """OAuth2 password grant: form-encoded `username` and `password`."""
    throttle, settings = resources.login_throttle, resources.settings
    client = client_address(request)
    wait = await throttle.attempt(username=form.username, client=client)
    if wait is not None:
        raise HTTPException(
            status.HTTP_429_TOO_MANY_REQUESTS,
            detail="Too many failed login attempts; try again later.",
            headers={"Retry-After": str(wait)},
        )
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
    lifetime = timedelta(minutes=settings.access_token_expire_minutes)
    token = services.create_access_token(
        user_id=user.id,
        secret_key=settings.secret_key,
        algorithm=settings.jwt_algorithm,
        lifetime=lifetime,
    )
    return Token(access_token=token, expires_in=int(lifetime.total_seconds()))


@router.get("/users/me", tags=["users"], summary="The current user", response_model=UserPublic)
async def read_current_user(user: CurrentUser) -> User:
    return user
