"""One task runner with the same targets in every starter (CONTRACT.md, its last part)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from tests.support import FRAMEWORKS, render

EVERY_STARTER = {"help", "setup", "db", "migrate", "run", "test", "lint", "demo", "staff", "mail"}
MAKE_FAILED = re.compile(r"^make(\[\d+\])?: \*\*\* \[")
HELP_LINE = re.compile(r"^\s*(?:make\s+)?([a-z]+)\s", re.M)
TARGET = re.compile(r"^([a-z][a-z0-9_-]*):(?!=)", re.M)


@pytest.fixture(scope="module")
def makefiles(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return {
        framework: render(framework, tmp_path_factory.mktemp(framework) / "project")
        for framework in FRAMEWORKS
    }


def targets(project: Path) -> set[str]:
    return set(TARGET.findall((project / "Makefile").read_text()))


def make(project: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["make", "--no-print-directory", *arguments],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_every_contract_target_is_there(makefiles: dict[str, Path], framework: str) -> None:
    missing = EVERY_STARTER - targets(makefiles[framework])
    assert not missing, f"{framework} Makefile lacks {sorted(missing)}"


def test_the_three_makefiles_have_the_same_targets(makefiles: dict[str, Path]) -> None:
    found = {framework: targets(project) for framework, project in makefiles.items()}
    assert len({frozenset(names) for names in found.values()}) == 1, found


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_make_alone_lists_every_target(makefiles: dict[str, Path], framework: str) -> None:
    result = make(makefiles[framework])
    assert result.returncode == 0, result.stderr
    listed = {found.group(1) for found in HELP_LINE.finditer(result.stdout)}
    assert EVERY_STARTER - {"help"} <= listed, result.stdout


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_make_staff_without_its_variables_is_one_line(
    makefiles: dict[str, Path], framework: str
) -> None:
    result = make(makefiles[framework], "staff")
    assert result.returncode != 0
    # make adds a line of its own ("make: *** [Makefile:N: staff] Error 2") to a failed recipe.
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    ours = [line for line in lines if not MAKE_FAILED.match(line)]
    assert len(ours) == 1, result.stderr
    assert "USERNAME" in ours[0], ours[0]
