"""Alembic environment for Flask-Migrate: the URL and metadata come from the app."""

from __future__ import annotations

import logging
import warnings
from logging.config import fileConfig
from typing import Any

from alembic import context
from flask import current_app
from sqlalchemy import Engine

config = context.config
if config.config_file_name is not None:
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")
# SQLite cannot reflect the lower(email) index; PostgreSQL still compares it.
warnings.filterwarnings("ignore", message="autogenerate skipping metadata-specified expression")


def _engine() -> Engine:
    engine: Engine = current_app.extensions["migrate"].db.engine
    return engine


def _skip_empty_autogenerate(_context: Any, _revision: Any, directives: list[Any]) -> None:
    # Avoids writing an empty migration when the models did not change.
    if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
        directives[:] = []
        logger.info("No changes in schema detected.")


def run_migrations_offline() -> None:
    url = _engine().url.render_as_string(hide_password=False)
    metadata = current_app.extensions["migrate"].db.metadata
    context.configure(url=url, target_metadata=metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    migrate = current_app.extensions["migrate"]
    options = dict(migrate.configure_args)
    options.setdefault("process_revision_directives", _skip_empty_autogenerate)
    with _engine().connect() as connection:
        context.configure(connection=connection, target_metadata=migrate.db.metadata, **options)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
