"""`python -m PACKAGE <command>`: the command-line tasks of cli.py."""

from .cli import main

raise SystemExit(main())
