"""Who is calling: the user behind the bearer token, if any."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import OAuth2PasswordBearer
from fastapi.security.base import SecurityBase
from sqlalchemy.ext.asyncio import AsyncSession

from ..dependencies import SessionDep, SettingsDep, resources_of
from ..settings import Settings
from . import services
from .errors import InvalidToken
from .models import User

TOKEN_URL = "/api/auth/token"

bearer_token = OAuth2PasswordBearer(tokenUrl=TOKEN_URL, auto_error=False)


def unauthorized(detail: str) -> HTTPException:
    return HTTPException(
        status.HTTP_401_UNAUTHORIZED, detail=detail, headers={"WWW-Authenticate": "Bearer"}
    )


@dataclass(frozen=True)
class Access:
    """The caller and the claims of the access token they sent."""

    user: User
    claims: services.AccessClaims


async def authenticate(token: str, session: AsyncSession, settings: Settings) -> Access:
    """The access a bearer token gives; 401 for one that is not valid (or logged out)."""
    try:
        claims = services.decode_access_token(
            token=token, secret_key=settings.secret_key, algorithm=settings.jwt_algorithm
        )
        user = await services.get_active_user(session=session, claims=claims)
    except InvalidToken as error:
        raise unauthorized(error.message) from error
    return Access(user=user, claims=claims)


async def get_optional_access(
    token: Annotated[str | None, Depends(bearer_token)],
    session: SessionDep,
    settings: SettingsDep,
) -> Access | None:
    """None for anonymous callers (no query at all); 401 for a token that is not valid."""
    if token is None:
        return None
    return await authenticate(token, session, settings)


async def get_current_access(
    access: Annotated[Access | None, Depends(get_optional_access)],
) -> Access:
    if access is None:
        raise unauthorized("Not authenticated")
    return access


async def get_optional_user(
    access: Annotated[Access | None, Depends(get_optional_access)],
) -> User | None:
    return access.user if access is not None else None


class ViewerScheme(SecurityBase):
    """get_optional_user for routes that need no session: anonymous callers open none.

    The bearer scheme itself (OpenAPI shows the same one), answering with the caller: one
    dependency where a token, the resources and the user would be three, each resolved by
    FastAPI on every request of the busiest routes.
    """

    def __init__(self, scheme: OAuth2PasswordBearer) -> None:
        self.scheme = scheme
        self.model = scheme.model
        self.scheme_name = scheme.scheme_name

    async def __call__(self, request: Request) -> User | None:
        token = await self.scheme(request)
        if token is None:
            return None
        resources = resources_of(request)
        async with resources.read_sessionmaker() as session:
            return (await authenticate(token, session, resources.settings)).user


get_viewer = ViewerScheme(bearer_token)


async def get_current_user(user: Annotated[User | None, Depends(get_optional_user)]) -> User:
    if user is None:
        raise unauthorized("Not authenticated")
    return user


OptionalUser = Annotated[User | None, Depends(get_optional_user)]
# The same caller, detached from any session: fine for reading the id.
Viewer = Annotated[User | None, Depends(get_viewer)]
CurrentUser = Annotated[User, Depends(get_current_user)]
CurrentAccess = Annotated[Access, Depends(get_current_access)]
