"""Request-scoped dependencies shared by every feature's routes.

They are `async def` although none of them awaits: FastAPI runs a plain `def` dependency in
a worker thread, a thread hop per dependency per request.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, cast

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from .resources import Resources
from .settings import Settings


def resources_of(request: Request) -> Resources:
    """What get_resources gives, for code that has the request at hand."""
    return cast(Resources, request.app.state.resources)


async def get_resources(request: Request) -> Resources:
    return resources_of(request)


ResourcesDep = Annotated[Resources, Depends(get_resources)]


async def get_settings(resources: ResourcesDep) -> Settings:
    return resources.settings


# HTTP's safe methods change nothing, so their session reads without a transaction.
READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


async def get_session(request: Request, resources: ResourcesDep) -> AsyncIterator[AsyncSession]:
    read_only = request.method in READ_ONLY_METHODS
    sessionmaker = resources.read_sessionmaker if read_only else resources.sessionmaker
    async with sessionmaker() as session:
        yield session


SettingsDep = Annotated[Settings, Depends(get_settings)]
SessionDep = Annotated[AsyncSession, Depends(get_session)]


def client_address(request: Request) -> str:
    """The caller's address: the peer, or what a trusted proxy said (see TRUSTED_PROXIES)."""
    return request.client.host if request.client else "unknown"
