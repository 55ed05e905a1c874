"""The repository's own code stays lint-clean and type-clean."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.support import REPO_ROOT

TOOLS = Path(sys.executable).parent


def check(*command: str) -> None:
    result = subprocess.run(
        [str(TOOLS / command[0]), *command[1:]],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_check() -> None:
    check("ruff", "check", ".")


def test_ruff_format() -> None:
    check("ruff", "format", "--check", ".")


def test_mypy() -> None:
    check("mypy")


def test_public_api_is_small() -> None:
    import generator

    assert generator.__all__ == ["Recommendation", "main", "recommend"]
