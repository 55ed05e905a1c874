"""Who is calling: the user behind the bearer token, if any."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, status
from fastapi.security import OAuth2PasswordBearer

from ..dependencies import ResourcesDep, SessionDep, SettingsDep
from . import services
from .errors import InvalidToken
from .models import User

TOKEN_URL = "/api/auth/token"

bearer_token = OAuth2PasswordBearer(tokenUrl=TOKEN_URL, auto_error=False)


def unauthorized(detail: str) -> HTTPException:
    return HTTPException(
        status.HTTP_401_UNAUTHORIZED, detail=detail, headers={"WWW-Authenticate": "Bearer"}
    )


async def get_optional_user(
    token: Annotated[str | None, Depends(bearer_token)],
    session: SessionDep,
    settings: SettingsDep,
) -> User | None:
    """None for anonymous callers; 401 for a token that is present but not valid."""
    if token is None:
        return None
    try:
        user_id = services.decode_access_token(
            token=token, secret_key=settings.secret_key, algorithm=settings.jwt_algorithm
        )
        return await services.get_active_user(session=session, user_id=user_id)
    except InvalidToken as error:
        raise unauthorized(error.message) from error


async def get_viewer(
    token: Annotated[str | None, Depends(bearer_token)], resources: ResourcesDep
) -> User | None:
    """get_optional_user for routes that need no session: anonymous callers open none."""
    if token is None:
        return None
    async with resources.read_sessionmaker() as session:
        return await get_optional_user(token, session, resources.settings)


async def get_current_user(user: Annotated[User | None, Depends(get_optional_user)]) -> User:
    if user is None:
        raise unauthorized("Not authenticated")
    return user


OptionalUser = Annotated[User | None, Depends(get_optional_user)]
# The same caller, detached from any session: fine for reading the id.
Viewer = Annotated[User | None, Depends(get_viewer)]
CurrentUser = Annotated[User, Depends(get_current_user)]
