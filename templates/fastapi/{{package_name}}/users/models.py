from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, false, func
from sqlalchemy.orm import Mapped, mapped_column

from ..db import Base, UTCDateTime, utc_now


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(150), unique=True)
    email: Mapped[str] = mapped_column(String(254))
    hashed_password: Mapped[str] = mapped_column(String(255))
    email_verified: Mapped[bool] = mapped_column(default=False, server_default=false())
    is_active: Mapped[bool] = mapped_column(default=True)
    is_staff: Mapped[bool] = mapped_column(default=False)
    is_superuser: Mapped[bool] = mapped_column(default=False)
    date_joined: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)

    def __str__(self) -> str:
        return self.username


# Email addresses are unique regardless of case; the index enforces it under races too.
Index("uq_users_email_lower", func.lower(User.email), unique=True)
