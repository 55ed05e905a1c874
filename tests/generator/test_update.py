"""`stackpick update`: a project rendered from one tagged template version moves to the next,
keeping the user's edits; conflicts show inline; unsafe states are refused."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.generator.helpers import answers_of, commit_all, git, stackpick, template_repository

SHARED_GITIGNORE = Path("templates/_shared/gitignore.jinja")


@pytest.fixture
def template(tmp_path: Path) -> Path:
    """A git repository of this template, tagged v1.0.0."""
    return template_repository(tmp_path / "template")


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
        "--no-lock",
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
    assert result.stderr == ""
    text = gitignore.read_text()
    assert text.startswith("# mine\nsecrets/\n")
    assert "# docs build\nsite/\n" in text
    assert (project / "CHANGELOG.md").read_text() == "# v1.1.0\n"
    assert "Changed: .copier-answers.yml, .gitignore" in result.stdout
    assert "Added: CHANGELOG.md" in result.stdout
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
        "--no-lock",
    )
    assert result.returncode == 0, result.stderr
    assert not (project / "uv.lock").exists()
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


def test_the_dirty_tree_message_names_files_whole_and_counts_the_rest(project: Path) -> None:
    (project / ".gitignore").write_text("changed\n")
    for number in range(12):
        (project / f"note-{number:02}.txt").write_text("draft")
    result = stackpick("update", str(project))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "uncommitted changes (.gitignore, note-00.txt," in result.stderr
    assert "note-08.txt and 3 more)" in result.stderr


def test_a_template_without_tags_is_said_once(template: Path, tmp_path: Path) -> None:
    git(template, "tag", "-d", "v1.0.0")
    destination = tmp_path / "untagged"
    created = stackpick("new", str(destination), "--template", str(template), "--no-lock")
    assert created.returncode == 0, created.stderr
    git(destination, "init", "-q", "-b", "main")
    commit_all(destination, "Start")
    release(template, "untagged-change", "\n# docs build\nsite/\n")
    git(template, "tag", "-d", "untagged-change")

    result = stackpick("update", str(destination), "--no-lock")

    assert result.returncode == 0, result.stderr
    assert "No git tags" not in result.stdout + result.stderr
    assert result.stdout.count("no release tags") == 1
    assert "# docs build\nsite/\n" in (destination / ".gitignore").read_text()


def copier_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    copier = Path(sys.executable).parent / "copier"
    return subprocess.run(
        [str(copier), *args], cwd=cwd, capture_output=True, text=True, timeout=300, check=False
    )


def test_a_copy_from_a_relative_path_can_be_updated(template: Path, tmp_path: Path) -> None:
    copied = copier_cli(
        "copy", "--defaults", "--data", "framework=flask", "template", "./svc", cwd=tmp_path
    )
    assert copied.returncode == 0, copied.stderr
    project = tmp_path / "svc"
    assert Path(answers_of(project)["_src_path"]) == template.resolve()
    git(project, "init", "-q", "-b", "main")
    commit_all(project, "Start")

    release(template, "v1.1.0", "\n# docs build\nsite/\n")
    by_copier = copier_cli("update", "--defaults", cwd=project)
    assert by_copier.returncode == 0, by_copier.stderr
    assert answers_of(project)["_commit"] == "v1.1.0"
    commit_all(project, "Update to 1.1.0")

    release(template, "v1.2.0", "\n# notebooks\n.ipynb_checkpoints/\n")
    by_stackpick = stackpick("update", str(project), "--no-lock")
    assert by_stackpick.returncode == 0, by_stackpick.stderr
    assert answers_of(project)["_commit"] == "v1.2.0"


def test_a_template_path_that_no_longer_resolves_is_refused(project: Path) -> None:
    answers_file = project / ".copier-answers.yml"
    recorded = answers_of(project)["_src_path"]
    answers_file.write_text(answers_file.read_text().replace(recorded, "../moved-template"))
    commit_all(project, "Relative template path")
    result = stackpick("update", str(project))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "(../moved-template) is not a folder from here" in result.stderr


def test_an_update_that_changes_pyproject_relocks(project: Path) -> None:
    result = stackpick(
        "update", str(project), "--vcs-ref", "v1.0.0", "-d", "features=accounts,api_docs,admin"
    )
    assert result.returncode == 0, result.stderr
    assert "pyproject.toml" in git(project, "status", "--porcelain")
    if "Could not lock" in result.stdout:
        pytest.skip(f"no package index reachable: {result.stdout}")
    assert "sqladmin" in (project / "uv.lock").read_text()


def test_an_update_that_leaves_pyproject_alone_does_not_lock(project: Path) -> None:
    result = stackpick("update", str(project), "--vcs-ref", "v1.0.0", "-d", "database=postgresql")
    assert result.returncode == 0, result.stderr
    assert not (project / "uv.lock").exists()


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


def test_a_recorded_commit_the_template_lacks_is_explained(project: Path) -> None:
    answers_file = project / ".copier-answers.yml"
    answers_file.write_text(
        answers_file.read_text().replace("_commit: v1.0.0", "_commit: deadbeef")
    )
    commit_all(project, "A commit the template never had")
    result = stackpick("update", str(project), "--no-lock")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1, result.stderr
    assert "the template has no commit deadbeef" in result.stderr
    assert "set _commit there" in result.stderr
    assert git(project, "status", "--porcelain") == ""
