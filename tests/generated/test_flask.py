"""The rendered Flask starter passes its own suite, migrations check, lint and types."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.starters.flask import MIGRATE, OWN_TESTS, PACKAGE
from tests.support import ensure_venv, postgres_database, render, run, starter_env

pytestmark = pytest.mark.slow

MIGRATIONS_CHECK = ["flask", "--app", PACKAGE, "db", "check"]


@dataclass(frozen=True)
class Project:
    directory: Path
    python: Path

    def env(self, **overrides: str) -> dict[str, str]:
        return starter_env(self.directory, self.python, **overrides)

    def run(self, command: list[str], **overrides: str) -> str:
        return run(command, cwd=self.directory, env=self.env(**overrides)).stdout


def _build(tmp_path_factory: pytest.TempPathFactory, name: str, **answers: object) -> Project:
    directory = render("flask", tmp_path_factory.mktemp(name) / "project", **answers)
    return Project(directory, ensure_venv(directory))


@pytest.fixture(scope="module")
def full(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """Every feature on (the base answers), SQLite for local development."""
    return _build(tmp_path_factory, "flask-full")


def test_own_suite_passes_on_sqlite(full: Project) -> None:
    output = full.run(OWN_TESTS)
    assert " passed" in output
    assert "Required test coverage of 90% reached" in output


@pytest.mark.postgres
def test_own_suite_passes_on_postgresql(full: Project) -> None:
    with postgres_database("flask_suite") as url:
        output = full.run(OWN_TESTS, DATABASE_URL=url)
    assert " passed" in output


def test_migrations_apply_and_match_the_models_on_sqlite(full: Project, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    full.run(MIGRATE, DATABASE_URL=url)
    assert "No new upgrade operations detected" in full.run(MIGRATIONS_CHECK, DATABASE_URL=url)


@pytest.mark.postgres
def test_migrations_apply_and_match_the_models_on_postgresql(full: Project) -> None:
    with postgres_database("flask_migrations") as url:
        full.run(MIGRATE, DATABASE_URL=url)
        output = full.run(MIGRATIONS_CHECK, DATABASE_URL=url)
    assert "No new upgrade operations detected" in output


@pytest.mark.parametrize(
    "command",
    [["ruff", "check", "."], ["ruff", "format", "--check", "."], ["mypy"]],
    ids=["ruff-check", "ruff-format", "mypy"],
)
def test_lint_and_types_are_clean(full: Project, command: list[str]) -> None:
    full.run(command)


def test_production_refuses_to_start_without_a_secret(full: Project) -> None:
    completed = subprocess.run(
        ["python", "-c", f"import {PACKAGE}; {PACKAGE}.create_app()"],
        cwd=full.directory,
        env=full.env(ENVIRONMENT="production", DATABASE_URL="sqlite://"),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode != 0
    assert completed.stderr.strip().splitlines() == [
        "Configuration error: SECRET_KEY is missing or a placeholder: set it to a long random"
        ' value (python -c "import secrets; print(secrets.token_urlsafe(50))")'
    ]


@pytest.mark.postgres
def test_a_postgresql_project_passes_its_suite(tmp_path_factory: pytest.TempPathFactory) -> None:
    project = _build(tmp_path_factory, "flask-postgresql", database="postgresql")
    with postgres_database("flask_pg_project") as url:
        output = project.run(OWN_TESTS, DATABASE_URL=url)
    assert " passed" in output
    project.run(["ruff", "check", "."])


def test_a_minimal_project_passes_its_suite_lint_and_types(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    project = _build(tmp_path_factory, "flask-minimal", features=[])
    assert not (project.directory / PACKAGE / "admin.py").exists()
    assert " passed" in project.run(OWN_TESTS)
    project.run(["ruff", "check", "."])
    project.run(["ruff", "format", "--check", "."])
    project.run(["mypy"])


@pytest.mark.parametrize("trusted", ["", "10.0.0.0/8,127.0.0.1"])
def test_gunicorn_believes_forwarded_headers_only_from_trusted_proxies(
    full: Project, trusted: str
) -> None:
    """gunicorn's own default believes 127.0.0.1; here TRUSTED_PROXIES decides, in the app."""
    script = (
        "import runpy; c = runpy.run_path('gunicorn.conf.py');"
        " print(repr(c['forwarded_allow_ips']), repr(c['secure_scheme_headers']),"
        " c['worker_class'])"
    )
    output = full.run(["python", "-c", script], TRUSTED_PROXIES=trusted)
    assert output.split() == [repr(trusted), "{}", f"{PACKAGE}.server.Worker"]
