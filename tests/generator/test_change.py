"""`stackpick add` / `remove` / `diff` and `new --dry-run`: answers change later, edits stay."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from generator.report import changes_since_commit, next_steps
from tests.generator.helpers import answers_of, commit_all, git, stackpick, template_repository
from tests.support import ensure_venv, run, starter_env

ADMIN_PACKAGE = "my_service/admin/__init__.py"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return template_repository(tmp_path_factory.mktemp("change") / "template")


@pytest.fixture
def project(template: Path, tmp_path: Path) -> Path:
    """A starter rendered with the defaults (FastAPI: accounts, API docs, observability)."""
    destination = tmp_path / "project"
    result = stackpick("new", str(destination), "--template", str(template), "--no-lock")
    assert result.returncode == 0, result.stderr
    git(destination, "init", "-q", "-b", "main")
    commit_all(destination, "Start")
    return destination


def edit_two_files(project: Path) -> None:
    with (project / "README.md").open("a") as readme:
        readme.write("\nOur own notes stay here.\n")
    with (project / "pyproject.toml").open("a") as pyproject:
        pyproject.write("\n# our own comment\n")
    commit_all(project, "Our edits")


def fingerprint(project: Path) -> dict[str, str]:
    return {
        path.relative_to(project).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in project.rglob("*")
        if path.is_file() and ".git" not in path.relative_to(project).parts
    }


@pytest.mark.slow
def test_add_then_remove_a_feature_keeps_edits_and_the_suite_passes(project: Path) -> None:
    edit_two_files(project)

    added = stackpick("add", "admin", "--project", str(project))

    assert added.returncode == 0, added.stderr
    assert answers_of(project)["features"] == ["admin", "accounts", "api_docs", "observability"]
    assert (project / ADMIN_PACKAGE).is_file()
    assert "Added: " in added.stdout
    assert ADMIN_PACKAGE in added.stdout or "more" in added.stdout
    assert "Our own notes stay here." in (project / "README.md").read_text()
    assert "# our own comment" in (project / "pyproject.toml").read_text()
    assert '"sqladmin>=' in (project / "pyproject.toml").read_text()
    python = ensure_venv(project)
    run(
        [str(python), "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider"],
        cwd=project,
        env=starter_env(project, python),
    )
    commit_all(project, "Admin")

    removed = stackpick("remove", "admin", "--project", str(project), "--no-lock")

    assert removed.returncode == 0, removed.stderr
    assert answers_of(project)["features"] == ["accounts", "api_docs", "observability"]
    assert not (project / ADMIN_PACKAGE).exists()
    assert "Removed: " in removed.stdout
    assert "Our own notes stay here." in (project / "README.md").read_text()
    assert "# our own comment" in (project / "pyproject.toml").read_text()
    assert '"sqladmin>=' not in (project / "pyproject.toml").read_text()


def test_add_runs_inside_the_project_by_default(project: Path) -> None:
    result = stackpick("add", "html_pages", "--no-lock", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "html_pages" in answers_of(project)["features"]
    assert "Review the changes with git diff" in result.stdout


@pytest.mark.parametrize(
    ("command", "message"),
    [
        (["add", "blockchain"], "unknown feature 'blockchain'; the features are: admin, accounts"),
        (["add", "accounts"], "the project already has accounts"),
        (["remove", "websockets"], "the project does not have websockets"),
        (["add", "django"], "'django' is a framework, not a feature"),
        (["add"], "name at least one feature"),
    ],
)
def test_add_and_remove_refuse_in_one_line(project: Path, command: list[str], message: str) -> None:
    before = fingerprint(project)
    result = stackpick(*command, "--project", str(project), "--no-lock")
    assert result.returncode == 2
    assert message in result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    assert fingerprint(project) == before


def test_add_refuses_a_dirty_tree(project: Path) -> None:
    (project / "scratch.txt").write_text("draft")
    result = stackpick("add", "admin", "--project", str(project))
    assert result.returncode == 2
    assert "uncommitted changes (scratch.txt)" in result.stderr
    assert result.stderr.count("\n") == 1
    assert not (project / ADMIN_PACKAGE).exists()


def test_add_outside_a_generated_project_is_refused(tmp_path: Path) -> None:
    result = stackpick("add", "admin", "--project", str(tmp_path))
    assert result.returncode == 2
    assert "has no .copier-answers.yml" in result.stderr


def test_diff_shows_the_added_files_and_leaves_the_project_alone(project: Path) -> None:
    before = fingerprint(project)
    result = stackpick("diff", "--project", str(project), "--data", "features=+admin")
    assert result.returncode == 0, result.stderr
    assert f"--- /dev/null\n+++ b/{ADMIN_PACKAGE}\n" in result.stdout
    assert "+- admin\n" in result.stdout  # the answers file
    assert fingerprint(project) == before
    assert git(project, "status", "--porcelain") == ""


def test_diff_replaces_a_value_and_removes_an_item(project: Path) -> None:
    result = stackpick(
        "diff", "--project", str(project), "-d", "features=-api_docs", "-d", "database=postgresql"
    )
    assert result.returncode == 0, result.stderr
    assert "-- api_docs\n" in result.stdout
    assert "+database: postgresql\n" in result.stdout


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "diff needs at least one --data change"),
        (["-d", "features=+blockchain"], "features takes any of"),
        (["-d", "colour=blue"], "unknown question 'colour'"),
        (["-d", "framework=django"], "the framework cannot change in place"),
        (["-d", "project_slug=Not A Slug"], "project_slug must be kebab-case"),
    ],
)
def test_diff_refuses_bad_changes_in_one_line(project: Path, data: list[str], message: str) -> None:
    result = stackpick("diff", "--project", str(project), *data)
    assert result.returncode == 2
    assert message in result.stderr
    assert result.stderr.count("\n") == 1, result.stderr


def test_dry_run_prints_the_recommendation_and_the_tree_and_writes_nothing(
    tmp_path: Path,
) -> None:
    destination = tmp_path / "planned"
    result = stackpick("new", str(destination), "--dry-run", "-d", "app_kind=cms")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Recommended: Django")
    assert "source: Pillai Infotech" in result.stdout
    assert f"{destination}/\n" in result.stdout
    assert "\n  README.md\n" in result.stdout
    assert "\n  uv.lock\n" in result.stdout
    assert "dry run: nothing was written" in result.stdout
    assert list(tmp_path.iterdir()) == []


def test_dry_run_into_a_non_empty_folder_is_refused_like_new(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("mine")
    result = stackpick("new", str(tmp_path), "--dry-run")
    assert result.returncode == 2
    assert "the starter would overwrite README.md" in result.stderr


def test_next_steps_are_read_from_the_changed_files(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q", "-b", "main")
    (tmp_path / "compose.yaml").write_text("services:\n  db:\n    image: postgres\n")
    (tmp_path / ".env.example").write_text("SECRET_KEY=change-me\n# REDIS_URL=redis://x\n")
    commit_all(tmp_path, "Start")
    (tmp_path / "compose.yaml").write_text(
        "services:\n  db:\n    image: postgres\n  redis:\n    image: redis\n"
    )
    (tmp_path / ".env.example").write_text(
        "SECRET_KEY=change-me\nREDIS_URL=redis://x\n# SENTRY_DSN=\n"
    )
    (tmp_path / "migrations" / "versions").mkdir(parents=True)
    (tmp_path / "migrations" / "versions" / "0002_shop.py").write_text("")

    changes = changes_since_commit(tmp_path)
    steps = next_steps(tmp_path, changes)

    assert changes.added == ["migrations/versions/0002_shop.py"]
    assert changes.changed == [".env.example", "compose.yaml"]
    assert steps == [
        "New or changed migrations: run make migrate",
        "New services in compose.yaml: redis (docker compose up -d)",
        "New settings in .env.example: copy them to .env: REDIS_URL",
        "New optional settings in .env.example (commented out): SENTRY_DSN",
    ]


def a_line_the_change_rewrites(diff: str) -> tuple[str, str]:
    """A file the change edits (not adds) and one of its lines that the change replaces."""
    name = ""
    for line in diff.splitlines():
        if line.startswith("--- "):
            name = line.removeprefix("--- a/") if line.startswith("--- a/") else ""
        elif line.startswith("-") and line[1:].strip() and name not in {"", ".copier-answers.yml"}:
            return name, line[1:]
    raise AssertionError("the change rewrites no line of an existing file")


def test_a_conflicting_edit_is_marked_and_reported_like_update(project: Path) -> None:
    shown = stackpick("diff", "--project", str(project), "--data", "features=+admin")
    name, line = a_line_the_change_rewrites(shown.stdout)
    path = project / name
    path.write_text(path.read_text().replace(line, line + " (our wording)", 1))
    commit_all(project, "Our wording")

    result = stackpick("add", "admin", "--project", str(project), "--no-lock")

    assert result.returncode == 0, result.stderr
    assert "<<<<<<< before updating" in path.read_text()
    assert f"Resolve the conflict markers (<<<<<<< before updating) in: {name}" in result.stdout
