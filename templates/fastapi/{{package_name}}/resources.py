"""What the application shares between requests, built once per process by create_app."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from .db import create_engine, create_read_sessionmaker, create_sessionmaker
from .mail import Mailer
from .settings import Settings
from .users.passwords import PasswordHasher
from .users.throttle import LoginThrottle


@dataclass(frozen=True)
class Resources:
    settings: Settings
    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]
    read_sessionmaker: async_sessionmaker[AsyncSession]
    passwords: PasswordHasher
    login_throttle: LoginThrottle
    # Password reset requests and verification resends, counted in the login throttle's store.
    reset_throttle: LoginThrottle
    verification_throttle: LoginThrottle
    mailer: Mailer

    @classmethod
    def from_settings(cls, settings: Settings) -> Resources:
        engine = create_engine(settings)
        login_throttle = LoginThrottle.from_settings(settings)
        return cls(
            settings=settings,
            engine=engine,
            sessionmaker=create_sessionmaker(engine),
            read_sessionmaker=create_read_sessionmaker(engine),
            passwords=PasswordHasher.from_settings(settings),
            login_throttle=login_throttle,
            reset_throttle=login_throttle.with_scope("password-reset"),
            verification_throttle=login_throttle.with_scope("verification-resend"),
            mailer=Mailer.from_settings(settings),
        )

    async def close(self) -> None:
        await self.mailer.wait()
        await self.login_throttle.close()
        await self.engine.dispose()
