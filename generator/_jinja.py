"""The Jinja environment that reads generator/rules.jinja the way Copier does."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

REPO_ROOT = Path(__file__).resolve().parent.parent
GENERATOR_DIR = Path(__file__).resolve().parent
# Copier's own default extensions, so copier.yml expressions render identically here.
COPIER_EXTENSIONS = ("jinja2_ansible_filters.AnsibleCoreFiltersExtension",)


@cache
def environment() -> SandboxedEnvironment:
    """Templates resolve from the repository root (as in Copier) or this package."""
    loader = FileSystemLoader([str(REPO_ROOT), str(GENERATOR_DIR.parent)])
    return SandboxedEnvironment(
        loader=loader, extensions=list(COPIER_EXTENSIONS), undefined=StrictUndefined
    )


def render_string(source: str, context: dict[str, Any]) -> str:
    return environment().from_string(source).render(**context)


@cache
def rules_module() -> Any:
    """The exported names of generator/rules.jinja: RULES, ARTICLES, evaluate, ..."""
    return environment().get_template("generator/rules.jinja").module
