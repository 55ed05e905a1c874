"""Command-line tasks behind the Makefile: `python -m PACKAGE {check,createdb,demo,staff}`.

Every problem is one line on stderr and a non-zero exit status, never a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import os
import sys
from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

from pydantic import ValidationError
from sqlalchemy.exc import DBAPIError

from . import preflight
from .demo import DEMO_PASSWORD, load_demo
from .errors import DomainError
from .resources import Resources
from .settings import ConfigurationError, Settings, load_settings
from .users.schemas import UserCreate
from .users.services import make_staff

T = TypeVar("T")

STAFF_USAGE = "make staff USERNAME=… EMAIL=… PASSWORD=…"


class CommandError(Exception):
    """A mistake in what the command was given; the message is the whole story."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=f"python -m {__package__}")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("check", help="stop with one line unless the database answers")
    commands.add_parser("createdb", help="create the PostgreSQL databases when missing")
    commands.add_parser("demo", help="load demo users and articles (idempotent)")
    staff = commands.add_parser(
        "staff", help="create a staff account or promote a user (password from PASSWORD)"
    )
    staff.add_argument("--username", default="")
    staff.add_argument("--email", default="")
    return parser


def main(argv: Sequence[str] | None = None, settings: Settings | None = None) -> int:
    arguments = _parser().parse_args(argv)
    try:
        settings = settings or load_settings()
        COMMANDS[arguments.command](settings, arguments)
    except (ConfigurationError, CommandError, DomainError) as error:
        print(_message(error), file=sys.stderr)
        return 1
    return 0


def _message(error: BaseException) -> str:
    if isinstance(error, DomainError):
        return f"error: {error.message}"
    if isinstance(error, ConfigurationError):
        return str(error.code)
    return str(error)


def check(settings: Settings, _arguments: argparse.Namespace) -> None:
    preflight.require_database(settings)


def createdb(settings: Settings, _arguments: argparse.Namespace) -> None:
    if not settings.uses_postgresql:
        print("DATABASE_URL is SQLite: the file is created when first used, nothing to do.")
        return
    created = preflight.create_databases(settings)
    print(f"Created {', '.join(created)}." if created else "The databases exist already.")


def demo(settings: Settings, _arguments: argparse.Namespace) -> None:
    async def load(resources: Resources) -> list[str]:
        async with resources.sessionmaker() as session:
            return await load_demo(session=session, passwords=resources.passwords)

    usernames = _with_resources(settings, load)
    logins = ", ".join(f"{name} / {DEMO_PASSWORD}" for name in usernames)
    print(f"Demo data loaded. Sign in as {logins}.")


def staff(settings: Settings, arguments: argparse.Namespace) -> None:
    data = _staff_data(arguments.username, arguments.email, _password())

    async def save(resources: Resources) -> bool:
        async with resources.sessionmaker() as session:
            _, created = await make_staff(session=session, data=data, passwords=resources.passwords)
            return created

    created = _with_resources(settings, save)
    if created:
        print(f"Created the staff account {data.username!r}.")
    else:
        print(f"{data.username!r} is staff now (email and password unchanged).")


def _password() -> str:
    password = os.environ.get("PASSWORD", "")
    if not password and sys.stdin.isatty():
        password = getpass.getpass("Password: ")
    return password


def _staff_data(username: str, email: str, password: str) -> UserCreate:
    missing = [
        name
        for name, value in (("USERNAME", username), ("EMAIL", email), ("PASSWORD", password))
        if not value
    ]
    if missing:
        raise CommandError(f"staff: {', '.join(missing)} missing; run {STAFF_USAGE}")
    try:
        return UserCreate(username=username, email=email, password=password)
    except ValidationError as error:
        issue = error.errors(include_url=False)[0]
        raise CommandError(f"staff: {str(issue['loc'][-1]).upper()}: {issue['msg']}") from None


def _with_resources(settings: Settings, work: Callable[[Resources], Awaitable[T]]) -> T:
    preflight.require_database(settings)

    async def run() -> T:
        resources = Resources.from_settings(settings)
        try:
            return await work(resources)
        except DBAPIError as error:
            raise preflight.DatabaseUnusable(preflight.describe(error, settings)) from None
        finally:
            await resources.close()

    return asyncio.run(run())


COMMANDS: dict[str, Callable[[Settings, argparse.Namespace], None]] = {
    "check": check,
    "createdb": createdb,
    "demo": demo,
    "staff": staff,
}
