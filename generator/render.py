"""Rendering through Copier, all or nothing: a failed render leaves nothing behind."""

from __future__ import annotations

import shutil
import tempfile
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import copier

from ._jinja import REPO_ROOT
from .errors import DestinationNotEmpty, StackpickError, TemplateNotFound

SHOWN_ENTRIES = 10


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


def check_destination(destination: Path) -> None:
    """Refuse a destination that holds anything, naming what is there."""
    if destination.exists() and not destination.is_dir():
        raise DestinationNotEmpty(f"{destination} exists and is not a folder; nothing was written")
    if destination.is_dir():
        entries = sorted(entry.name for entry in destination.iterdir())
        if entries:
            shown = ", ".join(entries[:SHOWN_ENTRIES])
            more = (
                f" and {len(entries) - SHOWN_ENTRIES} more" if len(entries) > SHOWN_ENTRIES else ""
            )
            raise DestinationNotEmpty(
                f"{destination} is not empty ({shown}{more}); choose a new or empty folder; "
                "nothing was written"
            )


def render(
    source: str, destination: Path, answers: Mapping[str, Any], *, vcs_ref: str | None = None
) -> Path:
    """Render into a staging folder beside `destination`, then move it into place."""
    destination = destination.expanduser().resolve()
    check_destination(destination)
    destination.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{destination.name}-", dir=destination.parent))
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
        if destination.is_dir():
            destination.rmdir()
        staging.rename(destination)
    except StackpickError:
        raise
    except Exception as error:
        raise StackpickError(f"rendering failed, nothing was written: {_one_line(error)}") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return destination


def _one_line(error: BaseException) -> str:
    text = " ".join(str(error).split()) or type(error).__name__
    return text if len(text) <= 300 else text[:297] + "..."
