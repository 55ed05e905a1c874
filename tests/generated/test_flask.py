"""The rendered Flask starter passes its own suite, migrations check, lint and types."""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import httpx
import pytest

from tests.starters.flask import MIGRATE, OWN_TESTS, PACKAGE, TRAIN, serve
from tests.support import (
    BASE_ANSWERS,
    POSTGRES_ADMIN_URL,
    ensure_venv,
    free_port,
    live_server,
    postgres_database,
    production_env,
    redis_url,
    render,
    require_service,
    run,
    starter_env,
)

pytestmark = pytest.mark.slow

BASE_FEATURES = list(cast(list[str], BASE_ANSWERS["features"]))
MIGRATIONS_CHECK = ["flask", "--app", PACKAGE, "db", "check"]


@dataclass(frozen=True)
class Project:
    directory: Path
    python: Path

    def env(self, **overrides: str) -> dict[str, str]:
        return starter_env(self.directory, self.python, **overrides)

    def run(self, command: list[str], **overrides: str) -> str:
        return run(command, cwd=self.directory, env=self.env(**overrides)).stdout

    def attempt(self, command: list[str], **overrides: str) -> subprocess.CompletedProcess[str]:
        """Run a command that may fail; its exit status and output, never a test failure."""
        return subprocess.run(
            command,
            cwd=self.directory,
            env=self.env(**overrides),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )


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
        try:
            output = project.run(OWN_TESTS, DATABASE_URL=url)
        finally:
            _drop_database(f"{url.rsplit('/', 1)[1]}_test")
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


def test_the_shop_is_rendered_for_ecommerce_only(
    full: Project, tmp_path_factory: pytest.TempPathFactory, tmp_path: Path
) -> None:
    """App kind ecommerce adds the shop (its package, tests, migration) and stays green."""
    rendered = [path for path in full.directory.rglob("*") if ".venv" not in path.parts]
    assert not [path for path in rendered if "shop" in path.name], "shop files without the shop"
    assert not [
        path for path in rendered if path.suffix == ".py" and "Idempotency" in path.read_text()
    ]
    shop = _build(tmp_path_factory, "flask-shop", app_kind="ecommerce")
    assert (shop.directory / PACKAGE / "shop" / "admin.py").exists()
    output = shop.run(OWN_TESTS)
    assert " passed" in output
    assert "Required test coverage of 90% reached" in output
    for command in (["ruff", "check", "."], ["ruff", "format", "--check", "."], ["mypy"]):
        shop.run(command)
    url = f"sqlite:///{tmp_path / 'shop.sqlite3'}"
    shop.run(MIGRATE, DATABASE_URL=url)
    assert "No new upgrade operations detected" in shop.run(MIGRATIONS_CHECK, DATABASE_URL=url)


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


def _drop_database(name: str) -> None:
    import psycopg

    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# Every command a developer runs, and the production server; each stops with one line.
FLASK = ["flask", "--app", PACKAGE]
COMMANDS: dict[str, list[str]] = {
    "dev-server": [*FLASK, "run", "--port", "0"],
    "migrate": MIGRATE,
    "tests": [*OWN_TESTS, "--no-cov", "tests/test_app.py"],
    "createdb": [*FLASK, "createdb"],
    "demo": [*FLASK, "demo"],
    "staff": [*FLASK, "staff", "--username", "boss", "--email", "boss@example.com"],
}
PRODUCTION_SERVER = [
    "gunicorn",
    "--config",
    "gunicorn.conf.py",
    "--bind",
    "127.0.0.1:0",
    "wsgi:app",
]
UNSUPPORTED = (
    "DATABASE_URL: mysql is not supported; use sqlite:///path or postgresql://user@host:port/name"
)
NO_DRIVER = "DATABASE_URL: PostgreSQL needs the psycopg driver; run make setup"


def _refused_url() -> str:
    return f"postgresql://postgres@127.0.0.1:{free_port()}/app"


def _missing_url() -> str:
    require_service("PostgreSQL", "127.0.0.1", 5432)
    return POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/flask_missing_{os.getpid()}"


def _stderr_lines(completed: subprocess.CompletedProcess[str]) -> list[str]:
    lines = [line for line in completed.stderr.splitlines() if line.strip()]
    return [line.removeprefix("Exit: ") for line in lines]  # pytest.exit's own prefix


def _assert_one_line(completed: subprocess.CompletedProcess[str], expected: str) -> None:
    assert completed.returncode != 0, completed.stdout + completed.stderr
    assert _stderr_lines(completed) == [expected], completed.stderr
    assert "Traceback" not in completed.stdout + completed.stderr


@pytest.mark.parametrize("command", [*COMMANDS, "production-server"])
def test_an_unsupported_database_url_stops_every_command_in_one_line(
    full: Project, command: str
) -> None:
    argv = PRODUCTION_SERVER if command == "production-server" else COMMANDS[command]
    extra = (
        production_env(database_url="mysql://app@db/app") if command == "production-server" else {}
    )
    completed = full.attempt(
        argv, **{**extra, "DATABASE_URL": "mysql://app@db/app", "PASSWORD": "p" * 12}
    )
    _assert_one_line(completed, UNSUPPORTED)


@pytest.mark.parametrize("command", [*COMMANDS, "production-server"])
def test_postgresql_without_its_driver_stops_every_command_in_one_line(
    full: Project, command: str, tmp_path: Path
) -> None:
    (tmp_path / "psycopg.py").write_text('raise ImportError("psycopg is not installed")\n')
    url = _refused_url()
    argv = PRODUCTION_SERVER if command == "production-server" else COMMANDS[command]
    extra = production_env(database_url=url) if command == "production-server" else {}
    overrides = {
        "DATABASE_URL": url,
        "PASSWORD": "p" * 12,
        "PYTHONPATH": f"{tmp_path}:{full.directory}",
    }
    completed = full.attempt(argv, **{**extra, **overrides})
    _assert_one_line(completed, NO_DRIVER)


@pytest.mark.parametrize("command", list(COMMANDS))
def test_an_unreachable_postgresql_stops_every_command_in_one_line(
    full: Project, command: str
) -> None:
    url = _refused_url()
    port = url.rsplit(":", 1)[1].split("/")[0]
    completed = full.attempt(COMMANDS[command], DATABASE_URL=url, PASSWORD="p" * 12)
    _assert_one_line(
        completed,
        f"DATABASE_URL: cannot connect to PostgreSQL at 127.0.0.1:{port} (connection refused);"
        " start it or fix the address",
    )


@pytest.mark.parametrize("command", ["dev-server", "migrate", "demo", "staff"])
def test_a_missing_database_stops_the_commands_that_use_it_in_one_line(
    full: Project, command: str
) -> None:
    url = _missing_url()
    completed = full.attempt(COMMANDS[command], DATABASE_URL=url, PASSWORD="p" * 12)
    name = url.rsplit("/", 1)[1]
    _assert_one_line(completed, f'DATABASE_URL: database "{name}" does not exist; run make db')


@pytest.mark.postgres
def test_createdb_and_the_suite_create_their_missing_databases(full: Project) -> None:
    url = _missing_url()
    name = url.rsplit("/", 1)[1]
    try:
        assert f"created {name}, {name}_test" in full.run(COMMANDS["createdb"], DATABASE_URL=url)
        assert "already there" in full.run(COMMANDS["createdb"], DATABASE_URL=url)
        _drop_database(f"{name}_test")
        assert " passed" in full.run(COMMANDS["tests"], DATABASE_URL=url)
    finally:
        _drop_database(name)
        _drop_database(f"{name}_test")


@pytest.mark.parametrize("problem", ["refused", "missing"])
def test_the_production_server_starts_without_its_database_and_says_so(
    full: Project, problem: str, tmp_path: Path
) -> None:
    url = _refused_url() if problem == "refused" else _missing_url()
    port = free_port()
    env = full.env(**production_env(database_url=url))
    log = tmp_path / "server.log"
    with live_server(serve(port, 1), port=port, cwd=full.directory, env=env, log=log) as server:
        ready = httpx.get(f"{server.base_url}/api/health/ready", timeout=5)
        output = server.output()
    assert ready.status_code == 503
    warnings = [line for line in output.splitlines() if "DATABASE_URL:" in line]
    assert len(warnings) == 1, output
    assert "readiness answers 503" in warnings[0]
    assert "Traceback" not in output


def test_make_staff_without_its_variables_is_one_line(full: Project) -> None:
    completed = full.attempt(["make", "staff", "USERNAME=boss"], PASSWORD="")
    assert completed.returncode != 0
    [line] = _stderr_lines(completed)
    assert "make staff needs USERNAME=..., EMAIL=... and PASSWORD=..." in line


def test_make_lists_every_target(full: Project) -> None:
    targets = [line.split()[1] for line in full.run(["make"]).splitlines()]
    assert targets == [
        "help",
        "setup",
        "db",
        "migrate",
        "run",
        "test",
        "lint",
        "demo",
        "staff",
        "mail",
    ]


LIVE_TRACES = ("websocket", "flask_sock", "flask-sock", "simple_websocket", "LIVE_", "/ws/")


def test_without_websockets_nothing_of_live_updates_is_rendered(tmp_path: Path) -> None:
    directory = render("flask", tmp_path / "project")
    assert not (directory / PACKAGE / "live").exists()
    for path in directory.rglob("*"):
        if path.is_file():
            text = path.read_text(errors="replace")
            found = [trace for trace in LIVE_TRACES if trace in text or trace in text.lower()]
            assert not found, f"{path.relative_to(directory)} mentions {found}"


@pytest.mark.postgres
def test_a_websockets_project_passes_its_suite_lint_and_types(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    features = [*BASE_FEATURES, "websockets"]
    project = _build(tmp_path_factory, "flask-websockets", features=features, database="postgresql")
    assert (project.directory / PACKAGE / "live" / "routes.py").exists()
    assert "flask-sock" in (project.directory / "pyproject.toml").read_text()
    output = project.run(OWN_TESTS)
    assert "Required test coverage of 90% reached" in output
    with postgres_database("flask_live_suite") as url:
        try:
            output = project.run(OWN_TESTS, DATABASE_URL=url, REDIS_URL=redis_url(14))
            assert " passed" in output
        finally:
            _drop_database(f"{url.rsplit('/', 1)[1]}_test")
    for command in (["ruff", "check", "."], ["ruff", "format", "--check", "."], ["mypy"]):
        project.run(command)


# --- What a render leaves out

TOOL_LEFTOVERS = {".venv", ".mypy_cache", ".ruff_cache", ".pytest_cache", "__pycache__"}


def rendered_traces(
    project: Project, pattern: re.Pattern[str], skip_lines_from: str = ""
) -> list[str]:
    """Matches in the rendered files, not in what the project's tools wrote beside them."""
    return [
        f"{path.relative_to(project.directory)}: {found.group(0)}"
        for path in sorted(project.directory.rglob("*"))
        if path.is_file()
        and not TOOL_LEFTOVERS.intersection(path.parts)
        and path.name != ".coverage"
        for line in path.read_text(errors="replace").splitlines()
        if not (skip_lines_from and line.startswith(skip_lines_from))
        for found in pattern.finditer(line)
    ]


# --- Model serving (app kind `ml_serving`)

ML_TRACES = re.compile(
    r"scikit|sklearn|joblib|numpy|MODEL_DIR|model_dir|/predict|/api/model\b|\btrain\b"
    r"|[Mm]odel serving|\.ml\b|\bml/"
)


def test_without_ml_serving_nothing_of_model_serving_is_rendered(full: Project) -> None:
    assert not (full.directory / PACKAGE / "ml").exists()
    assert not (full.directory / "tests" / "ml").exists()
    assert rendered_traces(full, ML_TRACES) == []


def test_a_model_serving_project_passes_its_suite_lint_and_types(
    tmp_path_factory: pytest.TempPathFactory, tmp_path: Path
) -> None:
    """App kind ml_serving adds the ml package, its tests, make train and scikit-learn."""
    project = _build(tmp_path_factory, "flask-ml", app_kind="ml_serving")
    assert "scikit-learn" in (project.directory / "pyproject.toml").read_text()
    output = project.run(OWN_TESTS)
    assert "Required test coverage of 90% reached" in output
    for command in (["ruff", "check", "."], ["ruff", "format", "--check", "."], ["mypy"]):
        project.run(command)
    trained = project.run(TRAIN, MODEL_DIR=str(tmp_path / "models"))
    assert "accuracy" in trained
    assert (tmp_path / "models" / "current").is_file()


# --- Background jobs (feature `jobs`)

JOBS_TRACES = re.compile(
    r"celery|Celery|author_stats|AuthorStats|send_email|refresh_article_stats|JOB_|"
    r"ARTICLE_STATS|make worker|\bjobs/"
)


def test_without_jobs_nothing_of_background_jobs_is_rendered(full: Project) -> None:
    assert not (full.directory / PACKAGE / "jobs").exists()
    assert not (full.directory / "tests" / "jobs").exists()
    assert rendered_traces(full, JOBS_TRACES) == []


def test_a_jobs_project_passes_its_suite_lint_types_and_migrations_check(
    tmp_path_factory: pytest.TempPathFactory, tmp_path: Path
) -> None:
    """Feature jobs adds Celery, the jobs package and its tests (a real Redis and worker)."""
    project = _build(tmp_path_factory, "flask-jobs", features=[*BASE_FEATURES, "jobs"])
    assert "celery[redis]" in (project.directory / "pyproject.toml").read_text()
    output = project.run([*OWN_TESTS, "-rs"], REDIS_URL=redis_url(13))
    assert "Required test coverage of 90% reached" in output
    assert not re.search(r"SKIPPED .*tests/jobs", output), "the Redis and worker tests did not run"
    for command in (["ruff", "check", "."], ["ruff", "format", "--check", "."], ["mypy"]):
        project.run(command)
    url = f"sqlite:///{tmp_path / 'jobs.sqlite3'}"
    project.run(MIGRATE, DATABASE_URL=url)
    assert "No new upgrade operations detected" in project.run(MIGRATIONS_CHECK, DATABASE_URL=url)


# --- Observability (feature `observability`)

OBSERVABILITY_TRACES = re.compile(
    r"prometheus|opentelemetry|sentry|METRICS_|OTEL_|SENTRY_|LOG_FORMAT|PROMETHEUS_|"
    r"[Oo]bservability|/metrics|JSONFormatter|post_fork|child_exit"
)


def test_without_observability_nothing_of_it_is_rendered(full: Project) -> None:
    # The factory's list of the packages it loads when they were rendered names them all.
    traces = rendered_traces(full, OBSERVABILITY_TRACES, skip_lines_from="OPTIONAL_MODULES = ")

    assert not (full.directory / PACKAGE / "observability").exists()
    assert not (full.directory / "tests" / "observability").exists()
    assert traces == []


def test_an_observability_project_passes_its_suite_lint_and_types(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """Feature observability adds its package, its dependencies and its own tests."""
    project = _build(
        tmp_path_factory, "flask-observability", features=[*BASE_FEATURES, "observability"]
    )
    pyproject = (project.directory / "pyproject.toml").read_text()
    for dependency in ("prometheus-client", "opentelemetry-sdk", "sentry-sdk[flask]"):
        assert dependency in pyproject
    output = project.run([*OWN_TESTS, "-rs"])
    assert "Required test coverage of 90% reached" in output
    assert not re.search(r"SKIPPED .*tests/observability", output)
    for command in (["ruff", "check", "."], ["ruff", "format", "--check", "."], ["mypy"]):
        project.run(command)
