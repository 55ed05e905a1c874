"""Command-line tasks: `python -m PACKAGE.cli create-admin --username NAME --email ADDRESS`.

The password comes from the ADMIN_PASSWORD environment variable, or a prompt.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import os
import sys
from collections.abc import Sequence

from pydantic import ValidationError

from .errors import DomainError
from .resources import Resources
from .settings import Settings, load_settings
from .users.schemas import UserCreate
from .users.services import register_user


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=f"python -m {__package__}.cli")
    commands = parser.add_subparsers(dest="command", required=True)
    create = commands.add_parser("create-admin", help="create a staff user for the admin site")
    create.add_argument("--username", required=True)
    create.add_argument("--email", required=True)
    return parser


async def create_admin(settings: Settings, data: UserCreate) -> None:
    resources = Resources.from_settings(settings)
    try:
        async with resources.sessionmaker() as session:
            await register_user(
                session=session, data=data, passwords=resources.passwords, staff=True
            )
    finally:
        await resources.close()


def main(argv: Sequence[str] | None = None, settings: Settings | None = None) -> int:
    arguments = _parser().parse_args(argv)
    password = os.environ.get("ADMIN_PASSWORD") or getpass.getpass("Password: ")
    try:
        data = UserCreate(username=arguments.username, email=arguments.email, password=password)
    except ValidationError as error:
        for issue in error.errors(include_url=False):
            print(f"error: {issue['loc'][-1]}: {issue['msg']}", file=sys.stderr)
        return 2
    try:
        asyncio.run(create_admin(settings or load_settings(), data))
    except DomainError as error:
        print(f"error: {error.message}", file=sys.stderr)
        return 1
    print(f"Created the admin user {data.username!r}.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
