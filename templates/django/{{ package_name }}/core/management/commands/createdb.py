"""`python manage.py createdb` (make db): the database DATABASE_URL names, when it is missing."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import DEFAULT_DB_ALIAS, connections

from config.database import explain, maintenance_connection, unexplained


class Command(BaseCommand):
    help = "Create the PostgreSQL database that DATABASE_URL names when it does not exist yet."

    def handle(self, *args: Any, **options: Any) -> None:
        database = connections[DEFAULT_DB_ALIAS].settings_dict
        if connections[DEFAULT_DB_ALIAS].vendor != "postgresql":
            self.stdout.write(f"SQLite ({database['NAME']}): nothing to create; migrate makes it")
            return
        name = str(database["NAME"])
        try:
            created = create_database(database, name)
        except Exception as error:  # psycopg's errors: the driver is imported only for PostgreSQL
            raise SystemExit(explain(error, database) or unexplained(error)) from None
        line = f'created database "{name}"' if created else f'database "{name}" exists already'
        self.stdout.write(f'{line}; the tests create and drop their own, "test_{name}"')


def create_database(database: dict[str, Any], name: str) -> bool:
    """CREATE DATABASE `name` through the maintenance database; False when it exists."""
    from psycopg import errors, sql

    with maintenance_connection(database) as admin:
        found = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if found is not None:
            return False
        try:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        except errors.DuplicateDatabase:
            return False  # created by somebody else in the meantime
    return True
