"""The FastAPI starter, rendered and run for real: its own suite, migrations and linters."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import psycopg
import pytest

from tests.starters import commands
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

    def fail(self, command: list[str], **env: str) -> subprocess.CompletedProcess[str]:
        """Run a command that is expected to fail; its result, whatever the status."""
        return subprocess.run(
            command,
            cwd=self.path,
            env=starter_env(self.path, self.python, **env),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )


def rendered(tmp_path_factory: pytest.TempPathFactory, name: str, **answers: object) -> Starter:
    path = render("fastapi", tmp_path_factory.mktemp(name) / "project", **answers)
    return Starter(path, ensure_venv(path))


@pytest.fixture(scope="module")
def starter(tmp_path_factory: pytest.TempPathFactory) -> Starter:
    return rendered(tmp_path_factory, "fastapi-default")


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh database; the suite's own `<name>_test` beside it is dropped afterwards too."""
    with postgres_database("fastapi_starter") as url:
        yield url
        drop_database(url.rsplit("/", 1)[1] + "_test")


def drop_database(name: str) -> None:
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


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


# --- DATABASE_URL problems: one line on stderr, a non-zero status, never a traceback

PACKAGE = str(BASE_ANSWERS["package_name"])
POSTGRES_SERVER = POSTGRES_ADMIN_URL.rsplit("/", 1)[0]
# sys.modules[name] = None makes the import fail as if the package were not installed.
WITHOUT_ASYNCPG = "import sys\nsys.modules['asyncpg'] = None\n"

PROBLEMS = {
    "scheme": (
        "mysql://root@127.0.0.1/blog",
        "DATABASE_URL: mysql is not supported; use sqlite:///path or postgresql://",
    ),
    "refused": (
        "postgresql://postgres@127.0.0.1:5999/blog",
        "DATABASE_URL: cannot connect to PostgreSQL at 127.0.0.1:5999 (connection refused);"
        " start it or fix the address",
    ),
    "missing": (
        f"{POSTGRES_SERVER}/fastapi_never_created",
        'DATABASE_URL: database "fastapi_never_created" does not exist; run make db',
    ),
    "driver": (
        f"{POSTGRES_SERVER}/postgres",
        "DATABASE_URL: PostgreSQL needs the asyncpg driver; run make setup",
    ),
}
# What each Makefile target runs (make run starts with the check).
COMMANDS = {
    "dev-server": ["python", "-m", PACKAGE, "check"],
    "migrate": FASTAPI.migrate,
    "tests": FASTAPI.own_tests,
    "createdb": ["python", "-m", PACKAGE, "createdb"],
    "demo": ["python", "-m", PACKAGE, "demo"],
    "staff": ["python", "-m", PACKAGE, "staff", "--username", "boss", "--email", "b@example.com"],
}
# The suite creates its missing test database, and createdb the missing database.
CREATES_WHAT_IS_MISSING = {("tests", "missing"), ("createdb", "missing")}


def problem_env(starter: Starter, tmp_path: Path, problem: str) -> dict[str, str]:
    url, _ = PROBLEMS[problem]
    env = {"DATABASE_URL": url, "PASSWORD": "a long enough password"}
    if problem == "driver":
        (tmp_path / "sitecustomize.py").write_text(WITHOUT_ASYNCPG)
        env["PYTHONPATH"] = f"{tmp_path}:{starter.path}"
    return env


def stderr_lines(result: subprocess.CompletedProcess[str]) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.strip()]


@pytest.mark.postgres
@pytest.mark.parametrize("problem", list(PROBLEMS))
@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_database_url_problem_is_one_line(
    starter: Starter, tmp_path: Path, command: str, problem: str
) -> None:
    if (command, problem) in CREATES_WHAT_IS_MISSING:
        pytest.skip("this command creates the missing database")

    result = starter.fail(COMMANDS[command], **problem_env(starter, tmp_path, problem))

    lines = stderr_lines(result)
    assert result.returncode != 0, result.stdout
    assert len(lines) == 1, result.stderr
    assert PROBLEMS[problem][1] in lines[0]
    assert "Traceback" not in result.stdout + result.stderr


@pytest.mark.postgres
def test_the_suite_creates_its_missing_test_database(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    minimal = rendered(tmp_path_factory, "fastapi-new-database", features=[])
    name = "fastapi_suite_creates"
    drop_database(f"{name}_test")
    try:
        output = minimal.run(FASTAPI.own_tests, DATABASE_URL=f"{POSTGRES_SERVER}/{name}")
    finally:
        drop_database(f"{name}_test")

    assert "Required test coverage of 90% reached" in output


@pytest.mark.parametrize("command", ["dev-server", "migrate"])
def test_a_bad_email_url_is_one_line_without_its_password(starter: Starter, command: str) -> None:
    result = starter.fail(COMMANDS[command], EMAIL_URL="http://mailer:hunter2@mail.example.com")

    lines = stderr_lines(result)
    assert result.returncode != 0
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("EMAIL_URL: must look like smtp://host:port"), lines[0]
    assert "hunter2" not in result.stdout + result.stderr


@pytest.mark.parametrize("problem", ["scheme", "driver"])
def test_the_production_server_refuses_a_database_it_cannot_use(
    starter: Starter, tmp_path: Path, problem: str
) -> None:
    env = {**production_env(database_url=""), **problem_env(starter, tmp_path, problem)}

    result = starter.fail(FASTAPI.serve(free_port(), 2), **env)

    lines = stderr_lines(result)
    assert result.returncode != 0
    assert len(lines) == 1, result.stderr
    assert PROBLEMS[problem][1] in lines[0]


@pytest.mark.postgres
def test_the_production_server_starts_without_its_database_and_says_so(
    starter: Starter, tmp_path: Path
) -> None:
    url, message = PROBLEMS["missing"]
    env = starter_env(starter.path, starter.python, **production_env(database_url=url))
    port = free_port()
    log = tmp_path / "server.log"

    with live_server(FASTAPI.serve(port, 2), port=port, cwd=starter.path, env=env, log=log):
        ready = httpx.get(f"http://127.0.0.1:{port}/api/health/ready", timeout=5)

    assert ready.status_code == 503
    warnings = [line for line in log.read_text().splitlines() if message in line]
    assert len(warnings) == 1, log.read_text()
    assert "Traceback" not in log.read_text()


# --- Live updates (feature `websockets`)

CACHES = {".venv", ".mypy_cache", ".ruff_cache", ".pytest_cache", "__pycache__"}
LIVE_MARKERS = re.compile(
    r"/ws/articles|LIVE_[A-Z]|\blive_[a-z]|\barticle\.published|[Ll]ive updates"
)


def rendered_sources(project: Path) -> list[Path]:
    """The files a render wrote (not what tools left behind: caches, databases, the venv)."""
    return [
        path
        for path in project.rglob("*")
        if path.is_file()
        and not CACHES.intersection(path.parts)
        and path.suffix not in {".pyc", ".sqlite3", ".db"}
    ]


def test_without_websockets_nothing_of_live_updates_is_rendered(starter: Starter) -> None:
    package = starter.path / PACKAGE
    files = rendered_sources(starter.path)
    traces = [
        f"{path.relative_to(starter.path)}: {found.group(0)}"
        for path in files
        for found in LIVE_MARKERS.finditer(path.read_text(errors="replace"))
    ]

    assert not (package / "live").exists()
    assert not (starter.path / "tests" / "live").exists()
    assert traces == []


# --- Model serving (app kind `ml_serving`)

ML_MARKERS = re.compile(
    r"scikit|sklearn|joblib|numpy|MODEL_DIR|model_dir|/predict|/api/model\b|\btrain\b"
    r"|[Mm]odel serving|\.ml\b|\bml/"
)


def test_without_ml_serving_nothing_of_model_serving_is_rendered(starter: Starter) -> None:
    traces = [
        f"{path.relative_to(starter.path)}: {found.group(0)}"
        for path in rendered_sources(starter.path)
        if path.name != ".coverage"
        for found in ML_MARKERS.finditer(path.read_text(errors="replace"))
    ]

    assert not (starter.path / PACKAGE / "ml").exists()
    assert not (starter.path / "tests" / "ml").exists()
    assert traces == []


@pytest.mark.postgres
def test_websockets_flavour_runs_its_suite_on_postgresql_with_redis(
    tmp_path_factory: pytest.TempPathFactory, postgres_url: str
) -> None:
    features = [*BASE_ANSWERS["features"], "websockets"]  # type: ignore[misc]
    live = rendered(tmp_path_factory, "fastapi-websockets", features=features)

    output = live.run(
        FASTAPI.own_tests, DATABASE_URL=postgres_url, REDIS_URL=redis_url(REDIS_DATABASE)
    )
    live.run(["ruff", "check", "."])
    live.run(["mypy"])

    assert "Required test coverage of 90% reached" in output
    assert not re.search(r"\d+ skipped", output), "the Redis tests did not run"
    assert (live.path / PACKAGE / "live" / "static" / "articles.js").exists()


def test_websockets_without_html_pages_is_lint_and_type_clean(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    bare = rendered(tmp_path_factory, "fastapi-websockets-bare", features=["websockets"])

    bare.run(["ruff", "check", "."])
    bare.run(["mypy"])

    assert not (bare.path / PACKAGE / "pages").exists()


# --- The shop (app kind `ecommerce`)

SHOP_MARKERS = re.compile(
    r"Idempotency|/api/products|/api/orders|\bProduct\b|order_items|\.shop\b|\bshop/|## Shop"
)


def test_without_ecommerce_nothing_of_the_shop_is_rendered(starter: Starter) -> None:
    traces = [
        f"{path.relative_to(starter.path)}: {found.group(0)}"
        for path in rendered_sources(starter.path)
        if path.name != ".coverage"
        for found in SHOP_MARKERS.finditer(path.read_text(errors="replace"))
    ]

    assert not (starter.path / PACKAGE / "shop").exists()
    assert not (starter.path / "tests" / "shop").exists()
    assert not list((starter.path / "migrations" / "versions").glob("*shop*"))
    assert traces == []


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Starter:
    return rendered(tmp_path_factory, "fastapi-shop", app_kind="ecommerce")


def test_the_shop_flavour_passes_its_suite_linters_and_migrations_check(
    shop: Starter, tmp_path: Path
) -> None:
    database_url = f"sqlite:///{tmp_path / 'shop.sqlite3'}"

    output = shop.run(FASTAPI.own_tests)
    for command in (["ruff", "check", "."], ["ruff", "format", "--check", "."], ["mypy"]):
        shop.run(command)
    shop.run(FASTAPI.migrate, DATABASE_URL=database_url)

    assert "Required test coverage of 90% reached" in output
    assert (shop.path / PACKAGE / "shop" / "admin.py").exists()
    assert "No new upgrade operations detected" in shop.run(
        ["alembic", "check"], DATABASE_URL=database_url
    )


@pytest.mark.postgres
def test_the_shop_flavour_runs_its_suite_and_migrations_on_postgresql(
    shop: Starter, postgres_url: str
) -> None:
    output = shop.run(FASTAPI.own_tests, DATABASE_URL=postgres_url)
    shop.run(FASTAPI.migrate, DATABASE_URL=postgres_url)

    assert "Required test coverage of 90% reached" in output
    assert "No new upgrade operations detected" in shop.run(
        ["alembic", "check"], DATABASE_URL=postgres_url
    )


# --- Background jobs (feature `jobs`)

JOBS_MARKERS = re.compile(
    r"\barq\b|WorkerSettings|author_stats|AuthorStats|refresh_article_stats|send_email"
    r"|JOB_RETRY_BASE_SECONDS|JOB_MAX_RETRIES|ARTICLE_STATS_INTERVAL_SECONDS|make worker"
    r"|## Background jobs|jobs run in this process|\.jobs\b|\bjobs/"
)


def test_without_jobs_nothing_of_background_jobs_is_rendered(starter: Starter) -> None:
    traces = [
        f"{path.relative_to(starter.path)}: {found.group(0)}"
        for path in rendered_sources(starter.path)
        if path.name != ".coverage"
        for found in JOBS_MARKERS.finditer(path.read_text(errors="replace"))
    ]

    assert not (starter.path / PACKAGE / "jobs").exists()
    assert not (starter.path / "tests" / "jobs").exists()
    assert not list((starter.path / "migrations" / "versions").glob("*author_stats*"))
    assert traces == []


# --- Observability (feature `observability`)

OBSERVABILITY_MARKERS = re.compile(
    r"prometheus|opentelemetry|sentry|METRICS_ENABLED|METRICS_TOKEN|metrics_enabled|/metrics"
    r"|OTEL_|otel_|SENTRY_|LOG_FORMAT|log_format|[Oo]bservability|JsonFormatter|child_exit"
)


def test_without_observability_nothing_of_it_is_rendered(starter: Starter) -> None:
    traces = [
        f"{path.relative_to(starter.path)}: {found.group(0)}"
        for path in rendered_sources(starter.path)
        if path.name not in {".coverage", "uv.lock"}
        for found in OBSERVABILITY_MARKERS.finditer(path.read_text(errors="replace"))
        # main.py names every optional package it installs when present.
        if (path.name, found.group(0)) != ("main.py", "observability")
    ]

    assert not (starter.path / PACKAGE / "observability").exists()
    assert not (starter.path / "tests" / "observability").exists()
    assert traces == []


@pytest.fixture(scope="module")
def with_jobs(tmp_path_factory: pytest.TempPathFactory) -> Starter:
    features = [*BASE_ANSWERS["features"], "jobs"]  # type: ignore[misc]
    return rendered(tmp_path_factory, "fastapi-jobs", features=features)


@pytest.mark.postgres
def test_the_jobs_flavour_runs_its_suite_on_postgresql_with_redis_and_is_clean(
    with_jobs: Starter, postgres_url: str
) -> None:
    output = with_jobs.run(
        FASTAPI.own_tests, DATABASE_URL=postgres_url, REDIS_URL=redis_url(REDIS_DATABASE)
    )
    for command in (["ruff", "check", "."], ["ruff", "format", "--check", "."], ["mypy"]):
        with_jobs.run(command)
    with_jobs.run(FASTAPI.migrate, DATABASE_URL=postgres_url)

    assert "Required test coverage of 90% reached" in output
    assert "REDIS_URL is not set" not in output, "the job tests did not run"
    assert "No new upgrade operations detected" in with_jobs.run(
        ["alembic", "check"], DATABASE_URL=postgres_url
    )


def test_the_jobs_flavour_checks_its_migrations_on_sqlite(
    with_jobs: Starter, tmp_path: Path
) -> None:
    database_url = f"sqlite:///{tmp_path / 'jobs.sqlite3'}"

    with_jobs.run(FASTAPI.migrate, DATABASE_URL=database_url)

    assert "No new upgrade operations detected" in with_jobs.run(
        ["alembic", "check"], DATABASE_URL=database_url
    )
    assert (with_jobs.path / PACKAGE / "jobs" / "admin.py").exists()
    assert "worker:" in (with_jobs.path / "Makefile").read_text()


@pytest.fixture(scope="module")
def observable(tmp_path_factory: pytest.TempPathFactory) -> Starter:
    features = [*BASE_ANSWERS["features"], "observability"]  # type: ignore[misc]
    return rendered(tmp_path_factory, "fastapi-observability", features=features)


def test_the_observability_flavour_passes_its_suite_and_linters(observable: Starter) -> None:
    output = observable.run(FASTAPI.own_tests)
    for command in (["ruff", "check", "."], ["ruff", "format", "--check", "."], ["mypy"]):
        observable.run(command)

    assert "Required test coverage of 90% reached" in output
    assert (observable.path / PACKAGE / "observability" / "metrics.py").exists()
