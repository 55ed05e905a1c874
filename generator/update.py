"""`stackpick update`: bring a generated project to a newer template, keeping the user's edits."""

from __future__ import annotations

import subprocess
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import copier
import yaml

from .errors import StackpickError

ANSWERS_FILE = ".copier-answers.yml"


class NotUpdatable(StackpickError):
    """The project is not in a state Copier can update safely."""


def _git(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=project, capture_output=True, text=True, check=False)


def recorded_answers(project: Path) -> dict[str, Any]:
    path = project / ANSWERS_FILE
    if not path.is_file():
        raise NotUpdatable(
            f"{project} has no {ANSWERS_FILE}; only projects rendered by stackpick can be updated"
        )
    answers = yaml.safe_load(path.read_text()) or {}
    if not isinstance(answers, dict) or "_src_path" not in answers:
        raise NotUpdatable(f"{path} does not record the template it came from (_src_path)")
    return answers


def check_updatable(project: Path, changes: Mapping[str, Any]) -> None:
    """Refuse before touching anything: no git, a dirty tree, a framework switch."""
    if not project.is_dir():
        raise NotUpdatable(f"{project} is not a folder")
    answers = recorded_answers(project)
    if _git(project, "rev-parse", "--show-toplevel").returncode != 0:
        raise NotUpdatable(
            f"{project} is not a git repository; commit the project first "
            "(git init && git add -A && git commit -m 'Start')"
        )
    dirty = _git(project, "status", "--porcelain").stdout.strip()
    if dirty:
        files = ", ".join(line[3:] for line in dirty.splitlines()[:5])
        raise NotUpdatable(
            f"{project} has uncommitted changes ({files}); commit or stash them first"
        )
    if "framework" in changes and changes["framework"] != answers.get("framework"):
        raise NotUpdatable(
            "the framework cannot change in place; render a new project with stackpick new"
        )


def update(project: Path, changes: Mapping[str, Any], *, vcs_ref: str | None = None) -> Path:
    """Re-render `project` from its template's newer version with `changes` to its answers.

    Copier merges the template's changes with the user's edits three ways;
    where both touched the same lines it leaves inline conflict markers.
    """
    project = project.expanduser().resolve()
    check_updatable(project, changes)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            copier.run_update(
                project,
                data=dict(changes),
                defaults=True,
                overwrite=True,
                conflict="inline",
                quiet=True,
                unsafe=False,
                skip_answered=True,
                vcs_ref=vcs_ref,
            )
    except Exception as error:
        _git(project, "checkout", "--", ".")
        _git(project, "clean", "-fdq")
        text = " ".join(str(error).split())[:300] or type(error).__name__
        raise StackpickError(f"update failed and was undone: {text}") from None
    return project


def conflicted_files(project: Path) -> list[str]:
    """Files where the template's change and the user's edit met (inline markers)."""
    changed = _git(project, "diff", "--name-only").stdout.split()
    changed += _git(project, "ls-files", "--others", "--exclude-standard").stdout.split()
    return sorted(
        name
        for name in set(changed)
        if (project / name).is_file()
        and "<<<<<<< before updating" in (project / name).read_text(errors="replace")
    )
