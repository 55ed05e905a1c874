"""`flask db …` (Flask-Migrate), loaded only when a db command runs.

Flask-Migrate imports Alembic, Mako and Pygments (about 10 MB in every worker)
though only the command line needs them: the server never registers it.
"""

from __future__ import annotations

from typing import Any, cast

import click
from flask import Flask
from flask.cli import ScriptInfo

COMMAND = "db"


def init_app(app: Flask) -> None:
    app.cli.add_command(MigrationCommands(COMMAND, help="Database migrations (Flask-Migrate)."))


def enable(app: Flask) -> None:
    """Bind Flask-Migrate to `app` (what its commands and migrations/env.py read)."""
    if "migrate" in app.extensions:
        return
    from flask_migrate import Migrate

    from .extensions import db

    Migrate(app, db, render_as_batch=True, compare_type=True, command=COMMAND)


class MigrationCommands(click.Group):
    """Stands in for Flask-Migrate's `db` group in the command list; imports it when `db` runs."""

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        # Click invokes the command of the context made here: Flask-Migrate's own group.
        commands = _migrate_commands(parent or click.get_current_context())
        return commands.make_context(info_name, args, parent=parent, **extra)


def _migrate_commands(ctx: click.Context) -> click.Group:
    enable(ctx.ensure_object(ScriptInfo).load_app())
    from flask_migrate.cli import db as commands

    return cast(click.Group, commands)  # Flask-Migrate ships no type hints
