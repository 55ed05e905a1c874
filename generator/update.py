"""`stackpick update`: bring a generated project to a newer template, keeping the user's edits."""

from __future__ import annotations

import contextlib
import io
import subprocess
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import copier
import yaml
from copier._vcs import get_latest_tag, get_repo

from .errors import StackpickError, listing
from .lock import LOCK_INPUT, lock_dependencies

ANSWERS_FILE = ".copier-answers.yml"


class NotUpdatable(StackpickError):
    """The project is not in a state Copier can update safely."""


def git(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
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


def is_remote(source: str) -> bool:
    return "://" in source or source.startswith(("gh:", "gl:", "git@", "git+"))


def check_source(source: str) -> None:
    """A local template must still be where the answers file says (Copier reads it from cwd)."""
    if is_remote(source) or Path(source).expanduser().is_dir():
        return
    raise NotUpdatable(
        f"the template recorded in {ANSWERS_FILE} ({source}) is not a folder from here; "
        "set _src_path there to the template's absolute path, commit, and run again"
    )


def uncommitted_files(project: Path) -> list[str]:
    """Every path `git status` reports, untracked ones included."""
    output = git(project, "status", "--porcelain", "-z", "--untracked-files=all").stdout
    entries = iter(output.split("\0"))
    files = []
    for entry in entries:
        if not entry:
            continue
        files.append(entry[3:])
        if entry[0] in "RC":
            next(entries, None)  # the path it was renamed or copied from
    return files


def check_updatable(project: Path, changes: Mapping[str, Any]) -> dict[str, Any]:
    """Refuse before touching anything: no git, a dirty tree, a framework switch.

    Returns the recorded answers.
    """
    if not project.is_dir():
        raise NotUpdatable(f"{project} is not a folder")
    answers = recorded_answers(project)
    if git(project, "rev-parse", "--show-toplevel").returncode != 0:
        raise NotUpdatable(
            f"{project} is not a git repository; commit the project first "
            "(git init && git add -A && git commit -m 'Start')"
        )
    dirty = uncommitted_files(project)
    if dirty:
        raise NotUpdatable(
            f"{project} has uncommitted changes ({listing(dirty)}); commit or stash them first"
        )
    if "framework" in changes and changes["framework"] != answers.get("framework"):
        raise NotUpdatable(
            "the framework cannot change in place; render a new project with stackpick new"
        )
    check_source(str(answers["_src_path"]))
    return answers


def target_ref(source: str, requested: str | None) -> tuple[str | None, str | None]:
    """The template version to update to, and a note when it is not a release tag."""
    repository = get_repo(source)
    if requested or repository is None:
        return requested, None
    with contextlib.redirect_stderr(io.StringIO()):
        latest = get_latest_tag(repository)
    if latest == "HEAD":
        return "HEAD", "The template has no release tags; updating to its latest commit."
    return latest, None


@dataclass(frozen=True)
class Updated:
    project: Path
    notes: list[str] = field(default_factory=list)


def update(
    project: Path, changes: Mapping[str, Any], *, vcs_ref: str | None = None, lock: bool = True
) -> Updated:
    """Re-render `project` from its template's newer version with `changes` to its answers.

    Copier merges the template's changes with the user's edits three ways;
    where both touched the same lines it leaves inline conflict markers.
    A changed pyproject.toml gets a fresh uv.lock.
    """
    project = project.expanduser().resolve()
    answers = check_updatable(project, changes)
    ref, note = target_ref(str(answers["_src_path"]), vcs_ref)
    _run_update(project, changes, ref, recorded_commit=str(answers.get("_commit", "")))
    notes = [note] if note else []
    if lock and LOCK_INPUT in uncommitted_files(project):
        problem = lock_dependencies(project)
        if problem:
            notes.append(problem)
    return Updated(project, notes)


def _run_update(
    project: Path, changes: Mapping[str, Any], ref: str | None, *, recorded_commit: str
) -> None:
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
                vcs_ref=ref,
            )
    except Exception as error:
        git(project, "checkout", "--", ".")
        git(project, "clean", "-fdq")
        raise StackpickError(
            f"update failed and was undone: {_explain(error, recorded_commit)}"
        ) from None
    except KeyboardInterrupt:
        git(project, "checkout", "--", ".")
        git(project, "clean", "-fdq")
        raise


def _explain(error: Exception, recorded_commit: str) -> str:
    text = " ".join(str(error).split())[:300] or type(error).__name__
    if recorded_commit and text == f"Unknown revision: {recorded_commit!r}":
        return (
            f"the template has no commit {recorded_commit}, which {ANSWERS_FILE} says the "
            "project came from (a render of uncommitted template changes records a commit "
            "only that render had); set _commit there to the tag or commit it was rendered "
            "from, commit, and run again"
        )
    return text


def conflicted_files(project: Path) -> list[str]:
    """Files where the template's change and the user's edit met (inline markers)."""
    return sorted(
        name
        for name in uncommitted_files(project)
        if (project / name).is_file()
        and "<<<<<<< before updating" in (project / name).read_text(errors="replace")
    )
