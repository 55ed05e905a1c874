#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys

from config.environment import configure, load_settings


def main(argv: list[str]) -> None:
    configure()
    load_settings()
    from django.core.management import execute_from_command_line

    from config.database import one_line_errors, require_database

    with one_line_errors():
        if argv[1:2] == ["runserver"]:
            # The development server would otherwise start and fail on the first request.
            require_database()
            argv = [*argv, *default_address(argv[2:])]
        execute_from_command_line(argv)


def default_address(arguments: list[str]) -> list[str]:
    """HOST:PORT from the environment (or .env) when the command line names no address."""
    if any(not argument.startswith("-") for argument in arguments):
        return []
    host = os.environ.get("HOST") or "127.0.0.1"
    port = os.environ.get("PORT") or "8000"
    return [f"[{host}]:{port}" if ":" in host else f"{host}:{port}"]


if __name__ == "__main__":
    main(sys.argv)
