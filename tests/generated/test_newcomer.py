"""A newcomer's first hour, as each starter's README tells it, on a machine with only python3.

Each framework is rendered with the questionnaire's defaults; then, with nothing on PATH but
the system's python3 and make, the README's Quick start runs line by line, followed by the
other everyday targets. On PostgreSQL the database does not exist beforehand: `make setup`
has to create it. No command may print a traceback, and the server has to answer.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import copier
import httpx
import psycopg
import pytest

from tests.support import FRAMEWORKS, POSTGRES_ADMIN_URL, REPO_ROOT, free_port, require_service

pytestmark = pytest.mark.slow

SYSTEM_PATH = "/usr/local/bin:/usr/bin:/bin"
QUICK_START = re.compile(r"^## Quick start\n.*?```(?:sh|bash|console)?\n(.*?)```", re.M | re.S)
STEP_SECONDS = 600
FOREIGN = {"VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "DATABASE_URL", "REDIS_URL", "SECRET_KEY"}
FOREIGN_PREFIXES = ("UV_", "PYTEST", "STACKPICK", "COV_CORE", "DJANGO_", "FLASK_")


def render_defaults(framework: str, destination: Path, database: str) -> Path:
    copier.run_copy(
        str(REPO_ROOT),
        destination,
        data={"framework": framework, "database": database},
        defaults=True,
        unsafe=False,
        vcs_ref="HEAD",
        quiet=True,
    )
    return destination


def quick_start(project: Path) -> list[str]:
    """The command lines of the README's Quick start block (comments dropped)."""
    found = QUICK_START.search((project / "README.md").read_text())
    assert found, "the README has no Quick start block"
    lines = [line.split(" #")[0].strip() for line in found.group(1).splitlines()]
    commands = [line for line in lines if line and not line.startswith("#")]
    assert commands, "the Quick start block is empty"
    return commands


def clean_env(**settings: str) -> dict[str, str]:
    """A fresh shell on this machine: its own settings (certificates, proxies) but no virtual
    environment, no uv on PATH, and none of the settings a starter reads."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in FOREIGN and not key.startswith(FOREIGN_PREFIXES)
    }
    env.update(PATH=SYSTEM_PATH, UV_PYTHON_DOWNLOADS="never", **settings)
    return env


def shell(command: str, project: Path, env: dict[str, str]) -> str:
    result = subprocess.run(
        command,
        shell=True,
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=STEP_SECONDS,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, f"`{command}` exited {result.returncode}:\n{output[-4000:]}"
    assert "Traceback" not in output, f"`{command}` printed a traceback:\n{output[-4000:]}"
    return output


@contextlib.contextmanager
def running(command: str, project: Path, env: dict[str, str], port: int) -> Iterator[str]:
    """Start the README's server command; yield its base URL once it answers."""
    log = project / "newcomer-server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            command,
            shell=True,
            cwd=project,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_for_health(base_url, process, log)
        yield base_url
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, 15)
        process.wait(timeout=20)
    assert "Traceback" not in log.read_text(errors="replace"), log.read_text()[-4000:]


def wait_for_health(base_url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the server exited:\n{log.read_text(errors='replace')[-4000:]}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{base_url}/api/health", timeout=2).status_code == 200:
                return
        time.sleep(0.3)
    pytest.fail(f"the server never answered:\n{log.read_text(errors='replace')[-4000:]}")


@contextlib.contextmanager
def missing_database(framework: str) -> Iterator[str]:
    """A URL naming a PostgreSQL database that does not exist yet; all the run made is dropped."""
    require_service("PostgreSQL", "127.0.0.1", 5432)
    name = f"newcomer_{framework}_{secrets.token_hex(4)}"
    try:
        yield f"postgresql://postgres@127.0.0.1:5432/{name}"
    finally:
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
            rows = admin.execute(
                "SELECT datname FROM pg_database WHERE strpos(datname, %s) > 0", (name,)
            ).fetchall()
            for (database,) in rows:
                admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def walk_the_readme(project: Path, env: dict[str, str], *, lint: bool) -> None:
    port = free_port()
    env = {**env, "PORT": str(port)}
    for command in quick_start(project):
        if command.startswith("make run"):
            with running(command, project, env, port) as base_url:
                assert httpx.get(f"{base_url}/api/health/ready", timeout=5).status_code == 200
        else:
            shell(command, project, env)
    assert (project / "uv.lock").exists(), "make setup did not write uv.lock"
    assert (project / ".env").exists(), "make setup did not create .env"
    if lint:
        shell("make lint", project, env)
    for command in (
        "make demo",
        "make demo",
        "make staff USERNAME=boss EMAIL=boss@example.com PASSWORD=correct-horse-battery-staple",
        "make staff USERNAME=boss EMAIL=boss@example.com PASSWORD=correct-horse-battery-staple",
    ):
        shell(command, project, env)


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_the_readme_on_sqlite(framework: str, tmp_path: Path) -> None:
    project = render_defaults(framework, tmp_path / "svc", "sqlite")
    walk_the_readme(project, clean_env(), lint=True)


@pytest.mark.postgres
@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_the_readme_on_a_postgresql_database_that_does_not_exist(
    framework: str, tmp_path: Path
) -> None:
    project = render_defaults(framework, tmp_path / "svc", "postgresql")
    with missing_database(framework) as url:
        # Lint does not depend on the database: the SQLite walk runs it.
        walk_the_readme(project, clean_env(DATABASE_URL=url), lint=False)
