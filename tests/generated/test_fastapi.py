"""The FastAPI starter, rendered and run for real: its own suite, migrations and linters."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.starters import commands
from tests.support import (
    BASE_ANSWERS,
    ensure_venv,
    postgres_database,
    redis_url,
    render,
    run,
    starter_env,
)

pytestmark = pytest.mark.slow

FASTAPI = commands("fastapi")
# The contract suite flushes databases 1-15 when it starts a server; this one it leaves alone.
REDIS_DATABASE = 0


@dataclass(frozen=True)
class Starter:
    path: Path
    python: Path

    def run(self, command: list[str], **env: str) -> str:
        result = run(command, cwd=self.path, env=starter_env(self.path, self.python, **env))
        return result.stdout


def rendered(tmp_path_factory: pytest.TempPathFactory, name: str, **answers: object) -> Starter:
    path = render("fastapi", tmp_path_factory.mktemp(name) / "project", **answers)
    return Starter(path, ensure_venv(path))


@pytest.fixture(scope="module")
def starter(tmp_path_factory: pytest.TempPathFactory) -> Starter:
    return rendered(tmp_path_factory, "fastapi-default")


@pytest.fixture
def postgres_url() -> Iterator[str]:
    with postgres_database("fastapi_starter") as url:
        yield url


def test_own_suite_on_sqlite(starter: Starter) -> None:
    output = starter.run(FASTAPI.own_tests)

    assert " passed" in output
    assert "Required test coverage of 90% reached" in output


@pytest.mark.postgres
def test_own_suite_on_postgresql_with_redis(starter: Starter, postgres_url: str) -> None:
    output = starter.run(
        FASTAPI.own_tests, DATABASE_URL=postgres_url, REDIS_URL=redis_url(REDIS_DATABASE)
    )

    assert " passed" in output
    assert not re.search(r"\d+ skipped", output), "the Redis tests did not run"


def test_migrations_are_current_on_sqlite(starter: Starter, tmp_path: Path) -> None:
    database_url = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"

    starter.run(FASTAPI.migrate, DATABASE_URL=database_url)
    output = starter.run(["alembic", "check"], DATABASE_URL=database_url)

    assert "No new upgrade operations detected" in output


@pytest.mark.postgres
def test_migrations_are_current_on_postgresql(starter: Starter, postgres_url: str) -> None:
    starter.run(FASTAPI.migrate, DATABASE_URL=postgres_url)
    output = starter.run(["alembic", "check"], DATABASE_URL=postgres_url)

    assert "No new upgrade operations detected" in output


@pytest.mark.parametrize(
    "command",
    [["ruff", "check", "."], ["ruff", "format", "--check", "."], ["mypy"]],
    ids=["ruff-check", "ruff-format", "mypy"],
)
def test_linters_are_clean(starter: Starter, command: list[str]) -> None:
    starter.run(command)


@pytest.mark.postgres
def test_postgresql_flavour_runs_its_suite_on_postgresql(
    tmp_path_factory: pytest.TempPathFactory, postgres_url: str
) -> None:
    flavour = rendered(tmp_path_factory, "fastapi-postgresql", database="postgresql")

    output = flavour.run(FASTAPI.own_tests, DATABASE_URL=postgres_url)

    assert "Required test coverage of 90% reached" in output
    assert "DATABASE_URL=postgresql://" in (flavour.path / ".env.example").read_text()


def test_minimal_flavour_runs_its_suite_and_linters(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    minimal = rendered(tmp_path_factory, "fastapi-minimal", features=[])

    output = minimal.run(FASTAPI.own_tests)
    minimal.run(["ruff", "check", "."])
    minimal.run(["mypy"])

    assert "Required test coverage of 90% reached" in output
    package = minimal.path / str(BASE_ANSWERS["package_name"])
    assert not (package / "admin").exists()
    assert not (package / "pages").exists()
