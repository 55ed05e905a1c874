"""A current uv.lock for a rendered project, written by the uv that stackpick installs."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

LOCK_INPUT = "pyproject.toml"
LOCK_TIMEOUT_SECONDS = 180
LATER = "`make setup` will lock them"


def uv_executable() -> str:
    """The uv binary of stackpick's own installation (the `uv` distribution)."""
    from uv import find_uv_bin

    return str(find_uv_bin())


def lock_dependencies(project: Path) -> str | None:
    """Run `uv lock` in `project`; None when it worked, else one line saying what happened."""
    if not (project / LOCK_INPUT).is_file():
        return None
    environment = {key: value for key, value in os.environ.items() if key != "VIRTUAL_ENV"}
    try:
        result = subprocess.run(
            [uv_executable(), "lock", "--quiet", "--no-progress"],
            cwd=project,
            env=environment,
            capture_output=True,
            text=True,
            timeout=LOCK_TIMEOUT_SECONDS,
            check=False,
        )
    except (OSError, ImportError) as error:
        return f"Could not run uv to lock the dependencies ({error}); {LATER}."
    except subprocess.TimeoutExpired:
        return f"Locking took over {LOCK_TIMEOUT_SECONDS} s and was stopped; {LATER}."
    if result.returncode != 0:
        reason = _last_line(result.stderr) or f"uv lock exited {result.returncode}"
        return f"Could not lock the dependencies ({reason}); {LATER}."
    return None


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1][:200] if lines else ""
