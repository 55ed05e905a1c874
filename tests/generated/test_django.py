"""The rendered Django starter, for real: its own suite, lint, types, migrations, server.

Each test runs one command of the starter in its own virtual environment, on
SQLite and on PostgreSQL, like the starter's own CI does.
"""

from __future__ import annotations

import re
import secrets
import subprocess
import sys
import time
from collections.abc import Iterator, Set
from pathlib import Path

import httpx
import pytest

from tests.starters import django as starter
from tests.support import (
    BASE_ANSWERS,
    POSTGRES_ADMIN_URL,
    declared_requirements,
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
    uv_executable,
)

pytestmark = pytest.mark.slow

PACKAGE = str(BASE_ANSWERS["package_name"])
# A Copier answer left inside Jinja delimiters means a file escaped rendering.
UNRENDERED = re.compile(
    r"\{\{-? *(package_name|project_name|project_slug|description|author_\w+)\b"
    r"|\{%-? *(if|for|include)\b"
)


class Starter:
    """A rendered project and the environment its commands run in."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.python = ensure_venv(directory)

    def env(self, **overrides: str) -> dict[str, str]:
        return starter_env(self.directory, self.python, **overrides)

    def run(self, *command: str, **env: str) -> str:
        return run(list(command), cwd=self.directory, env=self.env(**env)).stdout


def rendered(factory: pytest.TempPathFactory, name: str, **answers: object) -> Starter:
    return Starter(render("django", factory.mktemp(name) / "project", **answers))


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Starter:
    return rendered(tmp_path_factory, "django-sqlite")


@pytest.fixture
def postgres_url() -> Iterator[str]:
    with postgres_database("stackpick_django") as url:
        yield url


def test_renders_the_layout(project: Starter) -> None:
    expected = [
        "manage.py",
        "Makefile",
        ".python-version",
        "gunicorn.conf.py",
        "config/database.py",
        f"{PACKAGE}/core/management/commands/createdb.py",
        f"{PACKAGE}/users/management/commands/staff.py",
        f"{PACKAGE}/articles/management/commands/demo.py",
        "config/gunicorn_worker.py",
        "config/settings/base.py",
        "config/settings/production.py",
        f"{PACKAGE}/users/migrations/0001_initial.py",
        f"{PACKAGE}/users/migrations/0002_account_lifecycle.py",
        f"{PACKAGE}/users/templates/users/mail/password_reset.html",
        f"{PACKAGE}/users/templates/users/mail/verify_email.txt",
        f"{PACKAGE}/mail/outbox.py",
        f"{PACKAGE}/pages/static/pages/site.css",
        f"{PACKAGE}/articles/migrations/0001_initial.py",
        f"{PACKAGE}/articles/services.py",
        f"{PACKAGE}/core/postgresql/base.py",
        f"{PACKAGE}/users/forms.py",
        f"{PACKAGE}/users/admin.py",
        f"{PACKAGE}/pages/views.py",
        "Dockerfile",
        "compose.yaml",
        ".github/workflows/ci.yml",
        ".env.example",
    ]
    missing = [path for path in expected if not (project.directory / path).is_file()]
    assert missing == []
    leftovers = [
        str(path.relative_to(project.directory))
        for path in project.directory.rglob("*")
        # Django's own templates (.html) use {% if %} and {{ }} legitimately.
        if path.is_file()
        and path.suffix != ".html"
        and (path.name.endswith(".jinja") or UNRENDERED.search(path.read_text(errors="ignore")))
    ]
    assert leftovers == []


def test_own_suite_on_sqlite(project: Starter) -> None:
    output = project.run(*starter.OWN_TESTS)
    assert " passed" in output


@pytest.mark.postgres
def test_own_suite_on_postgresql(project: Starter, postgres_url: str) -> None:
    output = project.run(*starter.OWN_TESTS, DATABASE_URL=postgres_url)
    assert " passed" in output


def test_migrations_are_current_on_sqlite(project: Starter, tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    project.run("python", "manage.py", "migrate", "--noinput", DATABASE_URL=database)
    project.run(
        "python", "manage.py", "makemigrations", "--check", "--dry-run", DATABASE_URL=database
    )


@pytest.mark.postgres
def test_migrations_are_current_on_postgresql(project: Starter, postgres_url: str) -> None:
    project.run("python", "manage.py", "migrate", "--noinput", DATABASE_URL=postgres_url)
    project.run(
        "python", "manage.py", "makemigrations", "--check", "--dry-run", DATABASE_URL=postgres_url
    )


def test_deploy_checks_pass_under_production_settings(project: Starter) -> None:
    project.run(
        "python",
        "manage.py",
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        ENVIRONMENT="production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="api.example.com",
        DATABASE_URL="postgresql://app@db.example.com:5432/app",
    )


def test_production_refuses_a_placeholder_secret(project: Starter) -> None:
    result = subprocess.run(
        ["python", "manage.py", "check"],
        cwd=project.directory,
        env=project.env(ENVIRONMENT="production", SECRET_KEY="changethis", ALLOWED_HOSTS="x"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        "Configuration error: SECRET_KEY is missing or a placeholder; set a random one, "
        "e.g. python -c 'import secrets; print(secrets.token_urlsafe(50))'"
    ]


def test_ruff_check(project: Starter) -> None:
    project.run("ruff", "check", ".")


def test_ruff_format(project: Starter) -> None:
    project.run("ruff", "format", "--check", ".")


def test_mypy(project: Starter) -> None:
    project.run("mypy")


def test_production_server_serves_the_api_and_its_assets(project: Starter, tmp_path: Path) -> None:
    env = project.env(**production_env(database_url=f"sqlite:///{tmp_path / 'db.sqlite3'}"))
    run(starter.MIGRATE, cwd=project.directory, env=env)
    port = free_port()
    command = starter.serve(port, 2)
    with live_server(
        command, port=port, cwd=project.directory, env=env, log=tmp_path / "server.log"
    ) as server:
        ready = httpx.get(f"{server.base_url}/api/health/ready", timeout=10)
        assert ready.json() == {"status": "ok", "database": "ok"}
        docs = httpx.get(f"{server.base_url}/api/docs", timeout=10)
        assert "https://" not in docs.text
        script = docs.text.split('<script src="', 1)[1].split('"', 1)[0]
        assert httpx.get(f"{server.base_url}{script}", timeout=10).status_code == 200
        missing = httpx.post(f"{server.base_url}/api/missing", timeout=10)
        assert (missing.status_code, missing.json()) == (404, {"detail": "Not found."})


@pytest.mark.postgres
def test_login_throttle_holds_across_workers_with_redis(
    project: Starter, tmp_path: Path, postgres_url: str
) -> None:
    env = project.env(**production_env(database_url=postgres_url, redis=redis_url(11)))
    run(starter.MIGRATE, cwd=project.directory, env=env)
    port = free_port()
    log = tmp_path / "server.log"
    username = f"throttled-{secrets.token_hex(4)}"
    with live_server(
        starter.serve(port, 2), port=port, cwd=project.directory, env=env, log=log
    ) as server:
        form = {"username": username, "password": "wrong-password"}
        url = f"{server.base_url}/api/auth/token"
        # One connection per request, so that both worker processes answer some of them.
        codes = [httpx.post(url, data=form, timeout=10).status_code for _ in range(6)]
        assert codes == [401] * 5 + [429]
        blocked = httpx.post(url, data=form, timeout=10)
        assert blocked.status_code == 429
        assert 0 < int(blocked.headers["Retry-After"]) <= 900


@pytest.mark.postgres
def test_postgresql_render_passes_its_own_suite(
    tmp_path_factory: pytest.TempPathFactory, postgres_url: str
) -> None:
    starter_project = rendered(tmp_path_factory, "django-postgresql", database="postgresql")
    assert "postgresql://" in (starter_project.directory / ".env.example").read_text()
    starter_project.run(*starter.OWN_TESTS, DATABASE_URL=postgres_url)


def test_minimal_render_passes_its_own_suite_and_lint(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    minimal = rendered(tmp_path_factory, "django-minimal", features=[])
    assert not (minimal.directory / PACKAGE / "pages").exists()
    assert not (minimal.directory / PACKAGE / "users" / "admin.py").exists()
    minimal.run(*starter.OWN_TESTS)
    minimal.run("ruff", "check", ".")
    minimal.run("ruff", "format", "--check", ".")
    minimal.run("mypy")
    minimal.run("python", "manage.py", "makemigrations", "--check", "--dry-run")


# --- One-line DATABASE_URL errors: every command a user runs --------------------------

REFUSED = "postgresql://postgres@127.0.0.1:5999/blog"
UNSUPPORTED_LINE = (
    "DATABASE_URL: mysql is not supported; use sqlite:///path or postgresql://user@host:port/name"
)
REFUSED_LINE = (
    "DATABASE_URL: cannot connect to PostgreSQL at 127.0.0.1:5999 (connection refused); "
    "start it or fix the address"
)
DRIVER_LINE = "DATABASE_URL: PostgreSQL needs the psycopg driver; run make setup"


def one_line_failure(
    directory: Path, command: list[str], env: dict[str, str], timeout: float = 120
) -> str:
    """Run a command that must fail: its stderr holds exactly one (non-blank) line."""
    result = subprocess.run(
        command, cwd=directory, env=env, capture_output=True, text=True, timeout=timeout
    )
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.returncode != 0, result.stdout + result.stderr
    assert len(lines) == 1, result.stderr
    return lines[0]


def missing_database_url() -> str:
    require_service("PostgreSQL", "127.0.0.1", 5432)
    return POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/missing_{secrets.token_hex(4)}"


USER_COMMANDS = {
    "dev server": ["python", "manage.py", "runserver"],
    "migrate": ["python", "manage.py", "migrate", "--noinput"],
    "demo": ["python", "manage.py", "demo"],
    "staff": ["python", "manage.py", "staff", "--username", "boss", "--email", "b@example.com"],
    "tests": starter.OWN_TESTS,
}


def test_a_bad_email_url_is_one_line_without_its_password(project: Starter) -> None:
    env = project.env(EMAIL_URL="http://mailer:hunter2@mail.example.com")
    line = one_line_failure(project.directory, ["python", "manage.py", "check"], env)
    assert line.startswith("Configuration error: EMAIL_URL must start with smtp://"), line
    assert "hunter2" not in line


@pytest.mark.parametrize("command", USER_COMMANDS.values(), ids=USER_COMMANDS.keys())
def test_an_unsupported_scheme_is_one_line(project: Starter, command: list[str]) -> None:
    env = project.env(DATABASE_URL="mysql://app@db/blog", PASSWORD="boss-password")
    assert one_line_failure(project.directory, command, env) == UNSUPPORTED_LINE


@pytest.mark.parametrize("command", USER_COMMANDS.values(), ids=USER_COMMANDS.keys())
def test_nothing_listening_is_one_line(project: Starter, command: list[str]) -> None:
    env = project.env(DATABASE_URL=REFUSED, PASSWORD="boss-password")
    line = one_line_failure(project.directory, command, env)
    assert line.removeprefix("Exit: ") == REFUSED_LINE  # pytest.exit names itself


@pytest.mark.postgres
@pytest.mark.parametrize(
    "command",
    [command for name, command in USER_COMMANDS.items() if name != "tests"],
    ids=[name for name in USER_COMMANDS if name != "tests"],
)
def test_a_missing_database_is_one_line(project: Starter, command: list[str]) -> None:
    url = missing_database_url()
    env = project.env(DATABASE_URL=url, PASSWORD="boss-password")
    name = url.rsplit("/", 1)[1]
    line = one_line_failure(project.directory, command, env)
    assert line == f'DATABASE_URL: database "{name}" does not exist; run make db'


def test_createdb_on_sqlite_says_there_is_nothing_to_do(project: Starter, tmp_path: Path) -> None:
    output = project.run("python", "manage.py", "createdb", DATABASE_URL=f"sqlite:///{tmp_path}/x")
    assert output.strip() == f"SQLite ({tmp_path}/x): nothing to create; migrate makes it"


def test_createdb_names_a_server_that_does_not_listen(project: Starter) -> None:
    command = ["python", "manage.py", "createdb"]
    line = one_line_failure(project.directory, command, project.env(DATABASE_URL=REFUSED))
    assert line == REFUSED_LINE


@pytest.mark.postgres
def test_createdb_then_migrate_then_the_suite_on_a_new_database(project: Starter) -> None:
    url = missing_database_url()
    name = url.rsplit("/", 1)[1]
    try:
        created = project.run("python", "manage.py", "createdb", DATABASE_URL=url)
        assert created.strip().startswith(f'created database "{name}"')
        again = project.run("python", "manage.py", "createdb", DATABASE_URL=url)
        assert again.strip().startswith(f'database "{name}" exists already')
        project.run("python", "manage.py", "migrate", "--noinput", DATABASE_URL=url)
    finally:
        import psycopg

        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_the_production_server_refuses_an_unsupported_scheme(project: Starter) -> None:
    env = project.env(**production_env(database_url="mysql://app@db/blog"))
    line = one_line_failure(project.directory, starter.serve(free_port(), 1), env)
    assert line == UNSUPPORTED_LINE


def test_the_production_server_starts_without_its_database(
    project: Starter, tmp_path: Path
) -> None:
    env = project.env(**production_env(database_url=REFUSED))
    port = free_port()
    log = tmp_path / "server.log"
    command = starter.serve(port, 1)
    with live_server(command, port=port, cwd=project.directory, env=env, log=log) as server:
        started = log.read_text()
        ready = httpx.get(f"{server.base_url}/api/health/ready", timeout=10)
        assert ready.status_code == 503
    mentions = [line for line in started.splitlines() if "DATABASE_URL" in line]
    assert len(mentions) == 1
    assert mentions[0].endswith(REFUSED_LINE)
    assert "Traceback" not in log.read_text()


@pytest.fixture(scope="module")
def without_the_driver(project: Starter, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A virtual environment with every requirement of the starter except psycopg."""
    venv = tmp_path_factory.mktemp("no-driver") / "venv"
    requirements = [
        r for r in declared_requirements(project.directory) if not r.startswith("psycopg")
    ]
    uv = uv_executable()
    subprocess.run([uv, "venv", "--quiet", "--python", sys.executable, str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run(
        [uv, "pip", "install", "--quiet", "--python", str(python), *requirements], check=True
    )
    return python


DRIVER_COMMANDS = {
    "migrate": ["python", "manage.py", "migrate", "--noinput"],
    "tests": starter.OWN_TESTS,
    "production server": starter.serve(8000, 1),
}


@pytest.mark.parametrize("command", DRIVER_COMMANDS.values(), ids=DRIVER_COMMANDS.keys())
def test_a_missing_driver_is_one_line(
    project: Starter, without_the_driver: Path, command: list[str]
) -> None:
    env = starter_env(
        project.directory,
        without_the_driver,
        **production_env(database_url="postgresql://app@127.0.0.1:5432/blog"),
    )
    assert one_line_failure(project.directory, command, env) == DRIVER_LINE


# --- What a render without a feature or kind must not hold --------------------------------

CODE_SUFFIXES = frozenset({".py", ".toml", ".yaml", ".yml", ".example", ".html", ""})


def rendered_traces(project: Starter, pattern: re.Pattern[str], suffixes: Set[str]) -> list[str]:
    """Matches in the rendered files (not in what collectstatic and the like wrote there)."""
    return [
        f"{path.relative_to(project.directory)}: {found.group(0)}"
        for path in sorted(project.directory.rglob("*"))
        if path.is_file()
        and not {".venv", "staticfiles"} & set(path.parts)
        and path.name != ".coverage"  # written by the own suite, not rendered
        and path.suffix in suffixes
        for found in [pattern.search(path.read_text(errors="ignore"))]
        if found is not None
    ]


# --- Live updates (feature `websockets`) ---------------------------------------------------

LIVE_TRACES = re.compile(r"channels|uvicorn|websocket|LIVE_|\.live\b|live updates", re.IGNORECASE)


def test_without_websockets_nothing_of_live_updates_is_rendered(project: Starter) -> None:
    assert not (project.directory / PACKAGE / "live").exists()
    assert not (project.directory / "config" / "settings" / "live.py").exists()
    assert rendered_traces(project, LIVE_TRACES, CODE_SUFFIXES | {".js"}) == []


# --- The content site (app kind `cms`; tests/generated/test_cms.py renders it) -------------

CMS_TRACES = re.compile(r"wagtail|modelcluster|taggit|\bcms\b|MEDIA_ROOT|sitemap", re.IGNORECASE)


def test_without_the_cms_kind_nothing_of_wagtail_is_rendered(project: Starter) -> None:
    assert not (project.directory / PACKAGE / "cms").exists()
    assert not (project.directory / "config" / "settings" / "cms.py").exists()
    assert rendered_traces(project, CMS_TRACES, CODE_SUFFIXES | {".md", ".css"}) == []


# --- The shop (app kind `ecommerce`; tests/contract/test_shop.py serves it) ----------------

SHOP_TRACES = re.compile(r"(?i:\bshop\b|\bproducts?\b|idempotency|ecommerce)|\bOrder(Item)?\b")


def test_without_the_ecommerce_kind_nothing_of_the_shop_is_rendered(project: Starter) -> None:
    assert not (project.directory / PACKAGE / "shop").exists()
    assert not (project.directory / "tests" / "shop").exists()
    assert rendered_traces(project, SHOP_TRACES, CODE_SUFFIXES | {".md", ".css"}) == []


# --- Model serving (app kind `ml_serving`; tests/contract/test_model_serving.py serves it) --

ML_TRACES = re.compile(
    r"sklearn|scikit|joblib|numpy|MODEL_DIR|\bml\b|/api/(model|predict)\b|\btrain\b"
    r"|model serving|post_fork",
    re.IGNORECASE,
)


def test_without_the_ml_serving_kind_nothing_of_model_serving_is_rendered(
    project: Starter,
) -> None:
    assert not (project.directory / PACKAGE / "ml").exists()
    assert not (project.directory / "tests" / "ml").exists()
    assert not (project.directory / "config" / "settings" / "ml.py").exists()
    assert rendered_traces(project, ML_TRACES, CODE_SUFFIXES | {".md"}) == []
    assert [r for r in declared_requirements(project.directory) if ML_TRACES.search(r)] == []


@pytest.fixture(scope="module")
def ml_project(tmp_path_factory: pytest.TempPathFactory) -> Starter:
    return rendered(tmp_path_factory, "django-ml", app_kind="ml_serving")


def test_the_ml_serving_render_passes_its_suite_lint_and_types(ml_project: Starter) -> None:
    assert (ml_project.directory / PACKAGE / "ml" / "training.py").is_file()
    output = ml_project.run(*starter.OWN_TESTS)
    assert " passed" in output
    ml_project.run("ruff", "check", ".")
    ml_project.run("ruff", "format", "--check", ".")
    ml_project.run("mypy")
    ml_project.run("python", "manage.py", "makemigrations", "--check", "--dry-run")


@pytest.mark.postgres
def test_the_ml_serving_render_passes_its_suite_on_postgresql(
    ml_project: Starter, postgres_url: str
) -> None:
    output = ml_project.run(*starter.OWN_TESTS, DATABASE_URL=postgres_url)
    assert " passed" in output


def test_the_ml_serving_web_process_imports_no_scikit_learn(ml_project: Starter) -> None:
    """The server loads the model in its workers; importing the application imports no sklearn."""
    script = (
        "import sys, config.wsgi; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in {'sklearn', 'joblib'}))"
    )
    assert ml_project.run("python", "-c", script).strip() == "[]"


# --- Background jobs (feature `jobs`; tests/contract/test_jobs.py runs them) --------------

JOBS_TRACES = re.compile(
    r"celery|kombu|author_?stats|send_email|refresh_article_stats|\bJOBS?_|ARTICLE_STATS"
    r"|make worker|background jobs|\.jobs\b",
    re.IGNORECASE,
)


def test_without_jobs_nothing_of_the_queue_is_rendered(project: Starter) -> None:
    assert not (project.directory / PACKAGE / "jobs").exists()
    assert not (project.directory / "tests" / "jobs").exists()
    assert not (project.directory / "config" / "celery.py").exists()
    assert not (project.directory / "config" / "settings" / "jobs.py").exists()
    assert rendered_traces(project, JOBS_TRACES, CODE_SUFFIXES | {".md"}) == []
    assert [r for r in declared_requirements(project.directory) if JOBS_TRACES.search(r)] == []


@pytest.fixture(scope="module")
def jobs_project(tmp_path_factory: pytest.TempPathFactory) -> Starter:
    return rendered(tmp_path_factory, "django-jobs", features=[*starter_features(), "jobs"])


def test_the_jobs_render_passes_its_suite_lint_and_types(jobs_project: Starter) -> None:
    assert (jobs_project.directory / PACKAGE / "jobs" / "tasks.py").is_file()
    # CI=true: the tests that need Redis fail instead of skipping when it is away.
    output = jobs_project.run(*starter.OWN_TESTS, CI="true")
    assert " passed" in output
    jobs_project.run("ruff", "check", ".")
    jobs_project.run("ruff", "format", "--check", ".")
    jobs_project.run("mypy")
    jobs_project.run("python", "manage.py", "makemigrations", "--check", "--dry-run")


@pytest.mark.postgres
def test_the_jobs_render_passes_its_suite_on_postgresql(
    jobs_project: Starter, postgres_url: str
) -> None:
    output = jobs_project.run(*starter.OWN_TESTS, DATABASE_URL=postgres_url)
    assert " passed" in output


def test_the_worker_stops_on_sigterm(jobs_project: Starter, tmp_path: Path) -> None:
    env = jobs_project.env(
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", REDIS_URL=redis_url(13)
    )
    run(["python", "manage.py", "migrate", "--noinput"], cwd=jobs_project.directory, env=env)
    log = tmp_path / "worker.log"
    with log.open("wb") as output:
        worker = subprocess.Popen(
            starter.WORKER, cwd=jobs_project.directory, env=env, stdout=output, stderr=output
        )
    try:
        deadline = time.monotonic() + 30
        while "ready." not in log.read_text():
            assert worker.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
        worker.terminate()
        assert worker.wait(timeout=10) == 0, log.read_text()
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()


# --- Observability (feature `observability`; tests/contract/test_observability.py) --------

OBSERVABILITY_TRACES = re.compile(
    r"prometheus|opentelemetry|otel|sentry|METRICS_|LOG_FORMAT|/metrics|observability",
    re.IGNORECASE,
)


def test_without_observability_nothing_of_it_is_rendered(project: Starter) -> None:
    assert not (project.directory / PACKAGE / "observability").exists()
    assert not (project.directory / "config" / "settings" / "observability.py").exists()
    assert rendered_traces(project, OBSERVABILITY_TRACES, CODE_SUFFIXES | {".md"}) == []
    requirements = declared_requirements(project.directory)
    assert [r for r in requirements if OBSERVABILITY_TRACES.search(r)] == []


def starter_features() -> list[str]:
    features = BASE_ANSWERS["features"]
    assert isinstance(features, list)
    return [str(feature) for feature in features]


@pytest.fixture(scope="module")
def live_project(tmp_path_factory: pytest.TempPathFactory) -> Starter:
    features = [*starter_features(), "websockets"]
    return rendered(tmp_path_factory, "django-live", features=features)


def test_the_live_render_passes_its_suite_lint_and_types(live_project: Starter) -> None:
    assert (live_project.directory / PACKAGE / "live" / "consumers.py").is_file()
    output = live_project.run(*starter.OWN_TESTS)
    assert " passed" in output
    live_project.run("ruff", "check", ".")
    live_project.run("ruff", "format", "--check", ".")
    live_project.run("mypy")
    live_project.run("python", "manage.py", "makemigrations", "--check", "--dry-run")


@pytest.mark.postgres
def test_the_live_render_passes_its_suite_on_postgresql(
    live_project: Starter, postgres_url: str
) -> None:
    output = live_project.run(*starter.OWN_TESTS, DATABASE_URL=postgres_url)
    assert " passed" in output


def test_the_live_server_says_once_per_worker_that_events_stay_in_process(
    live_project: Starter, tmp_path: Path
) -> None:
    env = live_project.env(**production_env(database_url=f"sqlite:///{tmp_path / 'db.sqlite3'}"))
    run(starter.MIGRATE, cwd=live_project.directory, env=env)
    port = free_port()
    log = tmp_path / "server.log"
    command = starter.serve(port, 2)
    with live_server(command, port=port, cwd=live_project.directory, env=env, log=log) as server:
        assert httpx.get(f"{server.base_url}/api/health/ready", timeout=10).status_code == 200
        time.sleep(0.5)
        started = log.read_text()
    line = "live updates: REDIS_URL is not set; only clients of this process receive events"
    assert started.count(line) == 2, started
    assert "Traceback" not in started


def test_the_development_server_serves_live_updates(live_project: Starter, tmp_path: Path) -> None:
    from websockets.sync.client import connect

    env = live_project.env(DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    run(["python", "manage.py", "migrate", "--noinput"], cwd=live_project.directory, env=env)
    port = free_port()
    env["PORT"] = str(port)
    command = ["python", "-m", f"{PACKAGE}.live.devserver"]
    log = tmp_path / "dev.log"
    url = f"ws://127.0.0.1:{port}/api/ws/articles"
    with (
        live_server(command, port=port, cwd=live_project.directory, env=env, log=log),
        connect(url, open_timeout=10) as client,
    ):
        client.ping().wait(5)
    assert "Traceback" not in log.read_text()


def test_the_live_development_server_stops_with_one_line(live_project: Starter) -> None:
    command = ["python", "-m", f"{PACKAGE}.live.devserver"]
    env = live_project.env(DATABASE_URL=REFUSED)
    assert one_line_failure(live_project.directory, command, env) == REFUSED_LINE
