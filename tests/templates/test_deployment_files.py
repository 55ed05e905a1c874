"""Every render's Dockerfile and CI workflow pass the linters a security review would run.

hadolint (Dockerfile rules), zizmor (GitHub Actions: pinned actions, token
permissions, credential persistence, injection) and the rules they leave to us:
base images pinned by digest, a HEALTHCHECK, a numeric non-root user.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import FRAMEWORKS, render

DIGEST_PINNED = re.compile(r"^FROM [\w./:-]+@sha256:[0-9a-f]{64}( AS \w+)?$")
SHA_PINNED = re.compile(r"uses: [\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+)*$")


def tool(name: str) -> str:
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is missing: install the dev extras (pip install -e '.[dev]')")
    return found


@pytest.fixture(
    scope="module",
    params=[(fw, db) for fw in FRAMEWORKS for db in ("sqlite", "postgresql")],
    ids=lambda p: f"{p[0]}-{p[1]}",
)
def rendered(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    framework, database = request.param
    return render(framework, tmp_path_factory.mktemp(framework) / "project", database=database)


def assert_clean(project: Path, *argv: str) -> None:
    result = subprocess.run(
        [tool(argv[0]), *argv[1:]], cwd=project, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_hadolint_finds_nothing(rendered: Path) -> None:
    assert_clean(rendered, "hadolint", "--no-color", "Dockerfile")


def test_zizmor_finds_nothing(rendered: Path) -> None:
    assert_clean(
        rendered, "zizmor", "--offline", "--no-progress", "--format", "plain", ".github/workflows"
    )


def test_base_images_are_pinned_by_digest(rendered: Path) -> None:
    froms = [
        line
        for line in (rendered / "Dockerfile").read_text().splitlines()
        if line.startswith("FROM ")
    ]
    assert froms
    for line in froms:
        assert DIGEST_PINNED.match(line), line


def test_the_image_checks_its_health_and_runs_unprivileged(rendered: Path) -> None:
    dockerfile = (rendered / "Dockerfile").read_text()
    assert "HEALTHCHECK " in dockerfile
    assert "/api/health" in dockerfile.split("HEALTHCHECK ", 1)[1]
    users = re.findall(r"^USER (\S+)$", dockerfile, flags=re.MULTILINE)
    assert users, "no USER line"
    assert users[-1].split(":")[0].isdigit(), users[-1]
    assert users[-1].split(":")[0] != "0", users[-1]


def test_workflow_actions_are_pinned_to_commits(rendered: Path) -> None:
    workflow = (rendered / ".github" / "workflows" / "ci.yml").read_text()
    uses = [line.strip().removeprefix("- ") for line in workflow.splitlines() if "uses:" in line]
    assert uses
    for line in uses:
        assert SHA_PINNED.match(line), line
    assert re.search(r"^permissions:\n  contents: read$", workflow, flags=re.MULTILINE)
    assert workflow.count("persist-credentials: false") == workflow.count("actions/checkout@")


def test_every_starter_uses_the_same_base_image_and_action_pins(tmp_path: Path) -> None:
    """One digest and one set of pins to bump, whichever framework a project was made with."""
    pins: dict[str, set[str]] = {}
    for framework in FRAMEWORKS:
        project = render(framework, tmp_path / framework)
        dockerfile = (project / "Dockerfile").read_text()
        workflow = (project / ".github" / "workflows" / "ci.yml").read_text()
        images = re.findall(r"^FROM (\S+)", dockerfile, flags=re.MULTILINE)
        actions = re.findall(r"uses: (\S+)", workflow)
        pins[framework] = set(images) | set(actions)
    assert len({frozenset(found) for found in pins.values()}) == 1, pins
