"""`stackpick update`: a project rendered from one tagged template version moves to the next,
keeping the user's edits; conflicts show inline; unsafe states are refused."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.generator.helpers import answers_of, stackpick
from tests.support import REPO_ROOT

SHARED_GITIGNORE = Path("templates/_shared/gitignore.jinja")


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


@pytest.fixture
def template(tmp_path: Path) -> Path:
    """A git repository of this template, tagged v1.0.0."""
    copy = tmp_path / "template"
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


def release(template: Path, tag: str, edit: str, old: str | None = None) -> None:
    """Change the shared .gitignore partial (append `edit`, or replace `old` by it), tag it."""
    path = template / SHARED_GITIGNORE
    text = path.read_text()
    path.write_text(text.replace(old, edit) if old else text + edit)
    (template / "templates" / "fastapi" / "CHANGELOG.md").write_text(f"# {tag}\n")
    commit_all(template, f"Template {tag}")
    git(template, "tag", tag)


@pytest.fixture
def project(template: Path, tmp_path: Path) -> Path:
    """A FastAPI project rendered from v1.0.0 and committed."""
    destination = tmp_path / "project"
    result = stackpick(
        "new",
        str(destination),
        "--template",
        str(template),
        "--vcs-ref",
        "v1.0.0",
        "-d",
        "framework=fastapi",
    )
    assert result.returncode == 0, result.stderr
    git(destination, "init", "-q", "-b", "main")
    commit_all(destination, "Start")
    return destination


def test_update_brings_template_changes_and_keeps_user_edits(template: Path, project: Path) -> None:
    gitignore = project / ".gitignore"
    gitignore.write_text("# mine\nsecrets/\n" + gitignore.read_text())
    commit_all(project, "My edit")
    release(template, "v1.1.0", "\n# docs build\nsite/\n")

    result = stackpick("update", str(project))

    assert result.returncode == 0, result.stderr
    text = gitignore.read_text()
    assert text.startswith("# mine\nsecrets/\n")
    assert text.rstrip().endswith("site/")
    assert (project / "CHANGELOG.md").read_text() == "# v1.1.0\n"
    assert answers_of(project)["_commit"] == "v1.1.0"
    assert "<<<<<<<" not in text
    assert "conflict" not in result.stdout


def test_conflicting_edits_show_inline_and_are_reported(template: Path, project: Path) -> None:
    gitignore = project / ".gitignore"
    gitignore.write_text(gitignore.read_text().replace(".venv/\n", ".venv/  # my venv\n"))
    commit_all(project, "My edit")
    release(template, "v1.1.0", ".venvs/\n", old=".venv/\n")

    result = stackpick("update", str(project))

    assert result.returncode == 0, result.stderr
    text = gitignore.read_text()
    assert "<<<<<<< before updating" in text
    assert ".venv/  # my venv" in text
    assert ".venvs/" in text
    assert "Resolve the conflict markers" in result.stdout
    assert ".gitignore" in result.stdout


def test_changing_an_answer_later_rerenders_what_depends_on_it(project: Path) -> None:
    result = stackpick(
        "update",
        str(project),
        "--vcs-ref",
        "v1.0.0",
        "-d",
        "database=postgresql",
        "-d",
        "features=accounts,api_docs,admin",
    )
    assert result.returncode == 0, result.stderr
    answers = answers_of(project)
    assert answers["database"] == "postgresql"
    assert set(answers["features"]) == {"accounts", "api_docs", "admin"}
    env_example = project / ".env.example"
    if env_example.exists():
        assert "DATABASE_URL=postgresql://" in env_example.read_text()


def test_switching_framework_in_place_is_refused(project: Path) -> None:
    result = stackpick("update", str(project), "-d", "framework=django")
    assert result.returncode == 2
    assert "framework cannot change in place" in result.stderr


def test_a_dirty_tree_is_refused_and_left_alone(project: Path) -> None:
    (project / "scratch.txt").write_text("work in progress")
    result = stackpick("update", str(project))
    assert result.returncode == 2
    assert "uncommitted changes (scratch.txt)" in result.stderr
    assert (project / "scratch.txt").read_text() == "work in progress"


def test_a_project_outside_git_is_refused(project: Path) -> None:
    shutil.rmtree(project / ".git")
    result = stackpick("update", str(project))
    assert result.returncode == 2
    assert "is not a git repository" in result.stderr


def test_a_folder_without_answers_is_refused(tmp_path: Path) -> None:
    result = stackpick("update", str(tmp_path))
    assert result.returncode == 2
    assert "has no .copier-answers.yml" in result.stderr
    assert result.stderr.count("\n") == 1
