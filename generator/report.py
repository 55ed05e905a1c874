"""What an update changed in a project, read from git, and what to run next because of it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from .errors import listing
from .update import git

COMPOSE_FILES = ("compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml")
ENV_EXAMPLE = ".env.example"
ACTIVE_SETTING = re.compile(r"^\s*([A-Z][A-Z0-9_]*)=", re.MULTILINE)
COMMENTED_SETTING = re.compile(r"^\s*#\s*([A-Z][A-Z0-9_]*)=", re.MULTILINE)


@dataclass(frozen=True)
class Changes:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        shown = [("Added", self.added), ("Changed", self.changed), ("Removed", self.removed)]
        return [f"{title}: {listing(names)}" for title, names in shown if names]


def changes_since_commit(project: Path) -> Changes:
    """The working tree against HEAD: new, modified and deleted files."""
    output = git(project, "status", "--porcelain", "-z", "--untracked-files=all").stdout
    entries = iter(output.split("\0"))
    added: list[str] = []
    changed: list[str] = []
    removed: list[str] = []
    for entry in entries:
        if not entry:
            continue
        status, name = entry[:2], entry[3:]
        if status[0] in "RC":
            next(entries, None)
        if "D" in status:
            removed.append(name)
        elif status == "??" or status[0] == "A":
            added.append(name)
        else:
            changed.append(name)
    return Changes(sorted(added), sorted(changed), sorted(removed))


def _committed_text(project: Path, name: str) -> str:
    shown = git(project, "show", f"HEAD:{name}")
    return shown.stdout if shown.returncode == 0 else ""


def _current_text(project: Path, name: str) -> str:
    path = project / name
    return path.read_text(errors="replace") if path.is_file() else ""


def _services(text: str) -> set[str]:
    try:
        loaded: Any = yaml.safe_load(text) or {}
    except yaml.YAMLError:
        return set()
    services = loaded.get("services") if isinstance(loaded, dict) else None
    return set(services) if isinstance(services, dict) else set()


def _settings_steps(project: Path) -> list[str]:
    """Settings that .env.example now sets, and optional ones it now mentions (commented out)."""
    before, now = _committed_text(project, ENV_EXAMPLE), _current_text(project, ENV_EXAMPLE)
    active_before = set(ACTIVE_SETTING.findall(before))
    known_before = active_before | set(COMMENTED_SETTING.findall(before))
    active = sorted(set(ACTIVE_SETTING.findall(now)) - active_before)
    optional = sorted(set(COMMENTED_SETTING.findall(now)) - known_before)
    steps = []
    if active:
        steps.append(f"New settings in {ENV_EXAMPLE}: copy them to .env: {listing(active)}")
    if optional:
        steps.append(f"New optional settings in {ENV_EXAMPLE} (commented out): {listing(optional)}")
    return steps


def _is_migration(name: str) -> bool:
    path = PurePosixPath(name)
    return (
        "migrations" in path.parts[:-1]
        and path.suffix == ".py"
        and path.name not in {"__init__.py", "env.py"}
    )


def next_steps(project: Path, changes: Changes) -> list[str]:
    """What the user runs or copies because of these changes (read from the files, not a list)."""
    steps = []
    if any(_is_migration(name) for name in changes.added + changes.changed):
        steps.append("New or changed migrations: run make migrate")
    for name in COMPOSE_FILES:
        new = _services(_current_text(project, name)) - _services(_committed_text(project, name))
        if new:
            steps.append(f"New services in {name}: {', '.join(sorted(new))} (docker compose up -d)")
    return steps + _settings_steps(project)
