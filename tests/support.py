"""Shared machinery for tests that render starters and run them for real.

Rendering goes through Copier itself; each rendered starter gets a virtual
environment with its declared dependencies (cached by their hash, so the
many renders of one framework share one install); PostgreSQL databases and
live server processes are real and bound to 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import tomllib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import copier
import httpx
import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
FRAMEWORKS = ("django", "flask", "fastapi")
VENV_CACHE = REPO_ROOT / ".cache" / "venvs"
POSTGRES_ADMIN_URL = os.environ.get(
    "STACKPICK_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres"
)
REDIS_TEST_URL = os.environ.get("STACKPICK_TEST_REDIS", "redis://127.0.0.1:6379")
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}

BASE_FEATURES = ("accounts", "api_docs", "admin", "html_pages")
BASE_ANSWERS: dict[str, object] = {
    "project_name": "Blog Service",
    "project_slug": "blog-service",
    "package_name": "blog_service",
    "description": "Users who write articles.",
    "author_name": "Ada Lovelace",
    "author_email": "ada@example.com",
    "app_kind": "api",
    "features": list(BASE_FEATURES),
    "concurrency": "low",
    "team_experience": "none",
    "database": "sqlite",
}


def render(framework: str, destination: Path, **answers: object) -> Path:
    """Render the starter for `framework` into `destination` with plain Copier."""
    data = {**BASE_ANSWERS, "framework": framework, **answers}
    copier.run_copy(
        str(REPO_ROOT),
        destination,
        data=data,
        defaults=True,
        unsafe=False,
        vcs_ref="HEAD",
        quiet=True,
    )
    return destination


def declared_requirements(project_dir: Path) -> list[str]:
    """The runtime and dev requirements that the starter's pyproject declares."""
    pyproject = tomllib.loads((project_dir / "pyproject.toml").read_text())
    project = pyproject["project"]
    extras = project.get("optional-dependencies", {})
    groups = pyproject.get("dependency-groups", {})
    requirements = list(project.get("dependencies", []))
    requirements += extras.get("dev", []) + extras.get("postgresql", [])
    requirements += [r for r in groups.get("dev", []) if isinstance(r, str)]
    return sorted(set(requirements))


def uv_executable() -> str:
    found = shutil.which("uv", path=str(Path(sys.executable).parent)) or shutil.which("uv")
    if found is None:
        raise RuntimeError("uv is missing: install the dev extras (pip install -e '.[dev]')")
    return found


def ensure_venv(project_dir: Path, extra: Sequence[str] = ()) -> Path:
    """A virtual environment with the starter's requirements (and `extra`); returns its python.

    A file lock lets parallel test workers share one build instead of racing.
    """
    requirements = sorted({*declared_requirements(project_dir), *extra})
    key = hashlib.sha256("\n".join([sys.version, *requirements]).encode()).hexdigest()[:16]
    venv = VENV_CACHE / key
    python = venv / "bin" / "python"
    VENV_CACHE.mkdir(parents=True, exist_ok=True)
    with (VENV_CACHE / f"{key}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (venv / ".complete").exists():
            build_venv(venv, requirements)
    return python


def build_venv(venv: Path, requirements: list[str]) -> None:
    shutil.rmtree(venv, ignore_errors=True)
    uv = uv_executable()
    python = venv / "bin" / "python"
    subprocess.run([uv, "venv", "--quiet", "--python", sys.executable, str(venv)], check=True)
    subprocess.run(
        [uv, "pip", "install", "--quiet", "--python", str(python), *requirements], check=True
    )
    (venv / ".complete").write_text("\n".join(requirements))


def starter_env(project_dir: Path, python: Path, **overrides: str) -> dict[str, str]:
    """A clean environment for running a starter's commands from its own folder."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "FLASK_", "VIRTUAL_ENV", "PYTHON"))
    }
    env.update(
        PATH=f"{python.parent}{os.pathsep}{env.get('PATH', '')}",
        PYTHONPATH=str(project_dir),
        PYTHONDONTWRITEBYTECODE="1",
        VIRTUAL_ENV=str(python.parent.parent),
    )
    for key in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "ENVIRONMENT", "DEBUG"):
        env.pop(key, None)
    env.update(overrides)
    return env


def run(
    command: Sequence[str], *, cwd: Path, env: Mapping[str, str], timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    """Run a command; on failure, fail the test with its output."""
    result = subprocess.run(
        list(command), cwd=cwd, env=dict(env), capture_output=True, text=True, timeout=timeout
    )
    if result.returncode != 0:
        pytest.fail(
            f"{' '.join(command)} exited {result.returncode}\n"
            f"--- stdout ---\n{result.stdout[-8000:]}\n--- stderr ---\n{result.stderr[-8000:]}",
            pytrace=False,
        )
    return result


def require_service(name: str, host: str, port: int) -> None:
    """Skip outside CI when a local service is missing; fail loudly in CI."""
    try:
        with socket.create_connection((host, port), timeout=2):
            return
    except OSError as error:
        message = f"{name} is not reachable at {host}:{port} ({error})"
        if IN_CI:
            pytest.fail(message, pytrace=False)
        pytest.skip(message)


@contextlib.contextmanager
def postgres_database(prefix: str) -> Iterator[str]:
    """A fresh PostgreSQL database for one test; yields its postgresql:// URL."""
    require_service("PostgreSQL", "127.0.0.1", 5432)
    import psycopg

    name = f"{prefix}_{secrets.token_hex(4)}"
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        # Suites that run on the URL make test databases named after it (<name>_test).
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
            found = admin.execute(
                "SELECT datname FROM pg_database WHERE strpos(datname, %s) > 0", (name,)
            ).fetchall()
            for (database,) in found:
                admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def redis_url(database: int) -> str:
    require_service("Redis", "127.0.0.1", 6379)
    return f"{REDIS_TEST_URL}/{database}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass(frozen=True)
class LiveServer:
    base_url: str
    process: subprocess.Popen[bytes]
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-8000:]


def wait_until_healthy(server: LiveServer, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"the server exited early:\n{server.output()}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{server.base_url}/api/health", timeout=2).status_code == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"the server was not healthy within {timeout} s:\n{server.output()}")


@contextlib.contextmanager
def live_server(
    command: Sequence[str], *, port: int, cwd: Path, env: Mapping[str, str], log: Path
) -> Iterator[LiveServer]:
    """Start a server process on 127.0.0.1:port; stop it afterwards."""
    with log.open("wb") as log_file:
        process = subprocess.Popen(
            list(command), cwd=cwd, env=dict(env), stdout=log_file, stderr=subprocess.STDOUT
        )
    server = LiveServer(f"http://127.0.0.1:{port}", process, log)
    try:
        wait_until_healthy(server)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def production_env(*, database_url: str, redis: str | None = None) -> dict[str, str]:
    """The settings every starter reads to run as in production, over plain HTTP on 127.0.0.1."""
    env = {
        "ENVIRONMENT": "production",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": database_url,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "LOG_LEVEL": "warning",
        "ACCESS_TOKEN_EXPIRE_MINUTES": "30",
    }
    if redis is not None:
        env["REDIS_URL"] = redis
    return env
