"""Rendered, installed and running starters for the contract suite.

A starter is rendered with Copier, gets its cached virtual environment, is
migrated and is served by its tuned production server under production
settings, with a Redis database for the login throttle.
"""

from __future__ import annotations

import contextlib
import importlib.util
import itertools
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.contract.mail import mail_server
from tests.starters import commands
from tests.support import (
    BASE_FEATURES,
    IN_CI,
    LiveServer,
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

_redis_databases = itertools.count()
_worker_logs = itertools.count()


@dataclass(frozen=True)
class Starter:
    """A rendered starter with its virtual environment."""

    framework: str
    database: str
    project_dir: Path
    python: Path


@dataclass(frozen=True)
class RunningStarter:
    starter: Starter
    server: LiveServer
    env: dict[str, str]

    @property
    def base_url(self) -> str:
        return self.server.base_url

    @property
    def secret_key(self) -> str:
        return self.env["SECRET_KEY"]


# The starters that serve CONTRACT.md's "Account lifecycle", and those that also have its
# HTML pages; the lifecycle's tests skip the others, saying so, until they serve it too.
SERVING_ACCOUNT_LIFECYCLE = frozenset({"django", "flask", "fastapi"})
SERVING_ACCOUNT_PAGES = frozenset({"django", "flask", "fastapi"})


def require_account_lifecycle(running: RunningStarter, *, pages: bool = False) -> None:
    framework = running.starter.framework
    if framework not in SERVING_ACCOUNT_LIFECYCLE:
        pytest.skip(f"the {framework} starter does not serve the account lifecycle yet")
    if pages and framework not in SERVING_ACCOUNT_PAGES:
        pytest.skip(f"the {framework} starter has no account lifecycle pages yet")


def require_starter(framework: str) -> None:
    """A starter is testable once its command module and template exist."""
    template = Path(__file__).resolve().parents[2] / "templates" / framework
    has_module = importlib.util.find_spec(f"tests.starters.{framework}") is not None
    if has_module and (template / "pyproject.toml.jinja").exists():
        return
    message = f"the {framework} starter is not there yet (tests/starters/{framework}.py)"
    if IN_CI:
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def contract_features(database: str) -> list[str]:
    """Every feature; the PostgreSQL renders add live updates, so both server setups are covered.

    With `websockets` Django serves over ASGI and Flask holds sockets in its threads: the
    whole suite, hardening included, runs against that setup on PostgreSQL and against
    the plain one on SQLite.
    """
    features = list(BASE_FEATURES)
    return [*features, "websockets"] if database == "postgresql" else features


def prepare(
    framework: str,
    database: str,
    workdir: Path,
    *,
    extra_features: Sequence[str] = (),
    **answers: object,
) -> Starter:
    """Render (with the contract's features and `extra_features`, and `answers` such as an
    app kind) and install."""
    require_starter(framework)
    features = [*contract_features(database), *extra_features]
    project_dir = render(
        framework, workdir / "project", database=database, features=features, **answers
    )
    return Starter(framework, database, project_dir, ensure_venv(project_dir))


def server_env(starter: Starter, database_url: str, **overrides: str) -> dict[str, str]:
    # Servers may share a Redis database (a run starts more servers than Redis has, and
    # other test processes use them too) and nothing empties it under a running server:
    # every test logs in with fresh usernames, so no two ever share a throttle count.
    redis_database = 1 + next(_redis_databases) % 15
    settings = production_env(database_url=database_url, redis=redis_url(redis_database))
    settings.update(mail_settings())
    return starter_env(starter.project_dir, starter.python, **{**settings, **overrides})


def mail_settings() -> dict[str, str]:
    """Mail goes to this process's SMTP server; lifetimes stay the defaults (tests expire
    tokens in the database, as time passing would). SITE_URL is added by `serve`."""
    return {
        "EMAIL_URL": mail_server().email_url,
        "DEFAULT_FROM_EMAIL": "Blog Service <noreply@blog.example>",
        "EMAIL_TIMEOUT_SECONDS": "5",
        "REFRESH_TOKEN_EXPIRE_DAYS": "14",
        "PASSWORD_RESET_EXPIRE_MINUTES": "60",
        "EMAIL_VERIFICATION_EXPIRE_HOURS": "48",
    }


def site_url(port: int) -> str:
    return f"http://127.0.0.1:{port}"


@contextlib.contextmanager
def serve(
    starter: Starter, env: dict[str, str], *, workers: int = 2, port: int | None = None
) -> Iterator[LiveServer]:
    """Serve the starter; links in its mail point at this server unless env names a SITE_URL."""
    port = port or free_port()
    argv = commands(starter.framework).serve(port, workers)
    log = starter.project_dir / f"server-{port}.log"
    env = {"SITE_URL": site_url(port), **env}
    with live_server(argv, port=port, cwd=starter.project_dir, env=env, log=log) as server:
        yield server


@dataclass(frozen=True)
class RunningWorker:
    process: subprocess.Popen[bytes]
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-8000:]


@contextlib.contextmanager
def job_worker(
    starter: Starter,
    env: dict[str, str],
    *,
    name: str = "worker",
    argv: Sequence[str] | None = None,
) -> Iterator[RunningWorker]:
    """The starter's `make worker` process (feature jobs); it must stop on SIGTERM within 15 s."""
    argv = list(argv or commands(starter.framework).worker)
    assert argv, f"tests/starters/{starter.framework}.py names no WORKER command"
    log = starter.project_dir / f"{name}-{next(_worker_logs)}.log"
    with log.open("wb") as log_file:
        process = subprocess.Popen(
            argv, cwd=starter.project_dir, env=env, stdout=log_file, stderr=subprocess.STDOUT
        )
    worker = RunningWorker(process, log)
    try:
        yield worker
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            pytest.fail(f"the worker did not stop on SIGTERM within 15 s:\n{worker.output()}")


@contextlib.contextmanager
def private_redis(cwd: Path) -> Iterator[str]:
    """A Redis server of the caller's own: job queues shared with other test processes'
    starters would hand their jobs to the wrong worker."""
    executable = shutil.which("redis-server")
    if executable is None:
        if IN_CI:
            pytest.fail("redis-server is not installed")
        pytest.skip("redis-server is not installed")
    port = free_port()
    argv = [executable, "--port", str(port), "--bind", "127.0.0.1", "--save", ""]
    process = subprocess.Popen([*argv, "--appendonly", "no"], cwd=cwd, stdout=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
                break
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


@contextlib.contextmanager
def database_url(starter: Starter) -> Iterator[str]:
    if starter.database == "sqlite":
        yield f"sqlite:///{starter.project_dir / 'db.sqlite3'}"
        return
    with postgres_database(f"contract_{starter.framework}") as url:
        yield url


@contextlib.contextmanager
def migrated_server(starter: Starter, **overrides: str) -> Iterator[RunningStarter]:
    with database_url(starter) as url, migrated_server_on(starter, url, **overrides) as live:
        yield live


@contextlib.contextmanager
def migrated_server_on(starter: Starter, url: str, **overrides: str) -> Iterator[RunningStarter]:
    """Migrate the database at `url`, then serve the starter on it."""
    port = free_port()
    env = {"SITE_URL": site_url(port), **server_env(starter, url, **overrides)}
    run(commands(starter.framework).migrate, cwd=starter.project_dir, env=env)
    with serve(starter, env, port=port) as server:
        yield RunningStarter(starter, server, env)
