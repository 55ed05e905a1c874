"""Rendering through Copier, all or nothing: a failed render leaves nothing behind."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import copier

from ._jinja import REPO_ROOT
from .errors import DestinationNotEmpty, StackpickError, TemplateNotFound, listing
from .lock import lock_dependencies


def default_template() -> Path:
    """The checkout this package runs from, when it holds the template."""
    if (REPO_ROOT / "copier.yml").is_file():
        return REPO_ROOT
    raise TemplateNotFound("no template next to this installation; pass --template PATH-OR-URL")


def local_template(source: str) -> Path | None:
    """The folder of a local template source, or None for a remote (git URL) one."""
    if "://" in source or source.startswith(("gh:", "gl:", "git@")):
        return None
    path = Path(source).expanduser().resolve()
    if not (path / "copier.yml").is_file():
        raise TemplateNotFound(f"template not found: {source} has no copier.yml")
    return path


def has_uncommitted_changes(template: Path) -> bool:
    """A git checkout with local edits: Copier renders them under a commit only that render has."""
    status = subprocess.run(
        ["git", "status", "--porcelain"], cwd=template, capture_output=True, text=True, check=False
    )
    return status.returncode == 0 and bool(status.stdout.strip())


def files_in(folder: Path) -> set[str]:
    """Every file under `folder`, as a path relative to it."""
    return {path.relative_to(folder).as_posix() for path in folder.rglob("*") if not path.is_dir()}


def check_destination(destination: Path) -> None:
    if destination.exists() and not destination.is_dir():
        raise DestinationNotEmpty(f"{destination} exists and is not a folder; nothing was written")


def refuse_non_empty(destination: Path, rendered: set[str]) -> None:
    """Name the files a render would touch in a folder that already has content."""
    existing = sorted(files_in(destination) & rendered)
    if existing:
        detail = f"the starter would overwrite {listing(existing)}"
    else:
        detail = f"it holds {listing(sorted(p.name for p in destination.iterdir()))}"
    raise DestinationNotEmpty(
        f"{destination} is not empty: {detail}; nothing was written "
        "(use a new folder, or --keep-existing to add only the files that are not there)"
    )


def _move_into_place(staging: Path, destination: Path, *, keep_existing: bool) -> list[str]:
    """Move the render into `destination`; return the user's files that were kept as they are."""
    if not destination.is_dir() or not any(destination.iterdir()):
        if destination.is_dir():
            destination.rmdir()
        staging.rename(destination)
        return []
    rendered = files_in(staging)
    if not keep_existing:
        refuse_non_empty(destination, rendered)
    kept = sorted(rendered & files_in(destination))
    for name in sorted(rendered - set(kept)):
        target = destination / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(staging / name, target)
    return kept


@dataclass(frozen=True)
class Rendered:
    destination: Path
    kept: list[str]
    lock_problem: str | None = None


def render(
    source: str,
    destination: Path,
    answers: Mapping[str, Any],
    *,
    vcs_ref: str | None = None,
    keep_existing: bool = False,
    lock: bool = True,
) -> Rendered:
    """Render into a staging folder beside `destination`, then move it into place.

    Nothing of the user's is overwritten: a non-empty destination is refused,
    or with `keep_existing` only the files it does not have yet are added.
    With `lock`, the staged render gets a current uv.lock first; a lock that
    cannot be made (offline) does not stop the render.
    """
    destination = destination.expanduser().resolve()
    check_destination(destination)
    destination.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{destination.name}-", dir=destination.parent))
    try:
        copy_template(source, staging, answers, vcs_ref)
        lock_problem = lock_dependencies(staging) if lock else None
        kept = _move_into_place(staging, destination, keep_existing=keep_existing)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return Rendered(destination, kept, lock_problem)


def copy_template(
    source: str, staging: Path, answers: Mapping[str, Any], vcs_ref: str | None
) -> None:
    try:
        with warnings.catch_warnings():
            # Copier's notes about dirty checkouts and missing tags are for template authors.
            warnings.simplefilter("ignore")
            copier.run_copy(
                source,
                staging,
                data=dict(answers),
                defaults=True,
                quiet=True,
                unsafe=False,
                vcs_ref=vcs_ref,
            )
    except Exception as error:
        raise StackpickError(f"rendering failed, nothing was written: {_one_line(error)}") from None


def _one_line(error: BaseException) -> str:
    text = " ".join(str(error).split()) or type(error).__name__
    return text if len(text) <= 300 else text[:297] + "..."


def preview(source: str, answers: Mapping[str, Any], *, vcs_ref: str | None = None) -> list[str]:
    """The files a render would write, rendered in a temporary folder that is then removed."""
    with tempfile.TemporaryDirectory(prefix="stackpick-preview-") as scratch:
        rendered = Path(scratch) / "render"
        copy_template(source, rendered, answers, vcs_ref)
        return sorted(files_in(rendered))


def tree(root: str, files: list[str]) -> str:
    """Files as an indented tree under `root/`, each folder before what it holds."""
    lines = [f"{root}/"]
    shown: set[str] = set()
    for name in sorted(files, key=lambda path: path.split("/")):
        parts = name.split("/")
        for depth in range(1, len(parts)):
            folder = "/".join(parts[:depth])
            if folder not in shown:
                shown.add(folder)
                lines.append(f"{'  ' * depth}{parts[depth - 1]}/")
        lines.append(f"{'  ' * len(parts)}{parts[-1]}")
    return "\n".join(lines)
