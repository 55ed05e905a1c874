"""Running the stackpick CLI as a user does, and reading what it rendered."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from tests.support import REPO_ROOT


def stackpick(
    *args: str,
    timeout: float = 300,
    env: Mapping[str, str] | None = None,
    cwd: Path = REPO_ROOT,
) -> subprocess.CompletedProcess[str]:
    """`stackpick ARGS` in a subprocess with no terminal (`env` adds to the environment)."""
    return subprocess.run(
        [sys.executable, "-m", "generator", *args],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=timeout,
        check=False,
    )


def answers_of(project: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((project / ".copier-answers.yml").read_text())
    return loaded


def git(folder: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.com", *args],
        cwd=folder,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def commit_all(folder: Path, message: str) -> None:
    git(folder, "add", "-A")
    git(folder, "commit", "-q", "-m", message)


def template_repository(copy: Path) -> Path:
    """A git repository of this checkout's files as they are now, tagged v1.0.0."""
    listed = git(REPO_ROOT, "ls-files", "-co", "--exclude-standard").splitlines()
    for name in listed:
        source = REPO_ROOT / name
        if source.is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, copy / name)
    git(copy, "init", "-q", "-b", "main")
    commit_all(copy, "Template 1.0.0")
    git(copy, "tag", "v1.0.0")
    return copy
