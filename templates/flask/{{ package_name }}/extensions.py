"""Extension objects, bound to an application inside create_app (init_app pattern)."""

from __future__ import annotations

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from .api import JsonApi

# Stable constraint names keep migrations identical on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Models derive from this plain SQLAlchemy 2 base, so mypy sees real types."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(metadata=Base.metadata)
api = JsonApi()
