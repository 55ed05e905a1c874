"""The Django starter rendered as a content site (app kind `cms`, on Wagtail), for real.

One render per database, shared by the module: its own suite, lint, types, a current
lock, migrations that match the models, and its production server serving the site's
pages, the editors' admin and the contract's API side by side.
"""

from __future__ import annotations

import re
import secrets
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from generator.lock import lock_dependencies
from generator.questionnaire import complete
from tests.starters import django as starter
from tests.support import (
    BASE_ANSWERS,
    free_port,
    live_server,
    postgres_database,
    production_env,
    render,
    run,
    uv_executable,
)

from .test_django import Starter

pytestmark = pytest.mark.slow

PACKAGE = str(BASE_ANSWERS["package_name"])
CMS_FEATURES = ["accounts", "api_docs", "admin", "html_pages"]


def rendered(factory: pytest.TempPathFactory, name: str, **answers: object) -> Starter:
    directory = render("django", factory.mktemp(name) / "project", app_kind="cms", **answers)
    return Starter(directory)


@pytest.fixture(scope="module")
def sqlite_site(tmp_path_factory: pytest.TempPathFactory) -> Starter:
    return rendered(tmp_path_factory, "cms-sqlite", features=CMS_FEATURES)


@pytest.fixture(scope="module")
def postgres_site(tmp_path_factory: pytest.TempPathFactory) -> Starter:
    return rendered(
        tmp_path_factory, "cms-postgresql", features=CMS_FEATURES, database="postgresql"
    )


@pytest.fixture
def postgres_url() -> Iterator[str]:
    with postgres_database("stackpick_cms") as url:
        yield url


def test_the_content_site_is_rendered(sqlite_site: Starter) -> None:
    cms = sqlite_site.directory / PACKAGE / "cms"
    for name in [
        "models.py",
        "blocks.py",
        "migrations/0001_initial.py",
        "migrations/0002_site_root.py",
    ]:
        assert (cms / name).is_file(), name
    assert (sqlite_site.directory / "config" / "settings" / "cms.py").is_file()
    assert '"wagtail>=' in (sqlite_site.directory / "pyproject.toml").read_text()
    assert "## Content site (Wagtail)" in (sqlite_site.directory / "README.md").read_text()
    assert list(sqlite_site.directory.rglob("*.jinja")) == []


def test_own_suite_on_sqlite(sqlite_site: Starter) -> None:
    assert " passed" in sqlite_site.run(*starter.OWN_TESTS)


@pytest.mark.postgres
def test_own_suite_on_postgresql(postgres_site: Starter, postgres_url: str) -> None:
    assert " passed" in postgres_site.run(*starter.OWN_TESTS, DATABASE_URL=postgres_url)


def test_lint_and_types(sqlite_site: Starter) -> None:
    sqlite_site.run("ruff", "check", ".")
    sqlite_site.run("ruff", "format", "--check", ".")
    sqlite_site.run("mypy")


def test_the_dependencies_lock(sqlite_site: Starter) -> None:
    problem = lock_dependencies(sqlite_site.directory)
    if problem is not None and "Could not lock" in problem:
        pytest.skip(f"no package index reachable: {problem}")
    checked = subprocess.run(
        [uv_executable(), "lock", "--check", "--offline"],
        cwd=sqlite_site.directory,
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stderr
    assert 'name = "wagtail"' in (sqlite_site.directory / "uv.lock").read_text()


def migrations_are_current(site: Starter, database_url: str) -> None:
    site.run("python", "manage.py", "migrate", "--noinput", DATABASE_URL=database_url)
    site.run(
        "python", "manage.py", "makemigrations", "--check", "--dry-run", DATABASE_URL=database_url
    )


def test_migrations_are_current_on_sqlite(sqlite_site: Starter, tmp_path: Path) -> None:
    migrations_are_current(sqlite_site, f"sqlite:///{tmp_path / 'db.sqlite3'}")


@pytest.mark.postgres
def test_migrations_are_current_on_postgresql(postgres_site: Starter, postgres_url: str) -> None:
    migrations_are_current(postgres_site, postgres_url)


def test_deploy_checks_pass_under_production_settings(sqlite_site: Starter) -> None:
    sqlite_site.run(
        "python",
        "manage.py",
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        ENVIRONMENT="production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="site.example.com",
        DATABASE_URL="postgresql://app@db.example.com:5432/app",
    )


def serves_the_site_and_the_api(base_url: str) -> None:
    """What a fresh, migrated site with its demo data answers, as the contract says."""
    with httpx.Client(base_url=base_url, timeout=10) as client:
        home = client.get("/")
        assert home.status_code == 200
        assert home.headers["Content-Security-Policy"].startswith("default-src 'self'")
        assert 'href="/blog/"' in home.text
        article = client.get("/blog/welcome/")
        assert article.status_code == 200
        assert "Welcome to the content site" in article.text
        sitemap = client.get("/sitemap.xml")
        assert sitemap.status_code == 200
        assert "/blog/welcome/</loc>" in sitemap.text
        login = client.get("/cms/login/")
        assert login.status_code == 200
        assert "csrfmiddlewaretoken" in login.text
        stylesheets = re.findall(r'href="(/static/[^"]+\.css)"', login.text)
        assert stylesheets
        assert not re.search(r'src="https?://|<link[^>]+href="https?://', login.text)  # no CDN
        assert client.get(stylesheets[0]).status_code == 200  # collected, served by WhiteNoise
        api_answers_as_the_contract_says(client)


def api_answers_as_the_contract_says(client: httpx.Client) -> None:
    listed = client.get("/api/articles")
    assert listed.status_code == 200
    page = listed.json()
    assert set(page) == {"count", "next", "previous", "results"}
    assert [article["author"]["username"] for article in page["results"]] == ["grace"] * 2 + ["ada"]
    username = f"writer{secrets.token_hex(3)}"
    account = {"username": username, "email": f"{username}@example.com", "password": "a-long-one"}
    assert client.post("/api/auth/register", json=account).status_code == 201
    token = client.post("/api/auth/token", data=account).json()["access_token"]
    bearer = {"Authorization": f"Bearer {token}"}
    created = client.post(
        "/api/articles", json={"title": "Hello, World!", "content": "x"}, headers=bearer
    )
    assert created.status_code == 201
    assert created.json()["slug"] == "hello-world"
    draft = client.get("/api/articles/hello-world", headers=bearer).json()
    assert (draft["author"]["username"], draft["published"]) == (username, False)
    assert client.get("/api/articles/hello-world").status_code == 404  # somebody else's draft
    assert client.get("/api/blog").json() == {"detail": "Not found."}


def serve_migrated(site: Starter, database_url: str, tmp_path: Path) -> None:
    port = free_port()
    env = site.env(**production_env(database_url=database_url), SITE_URL=f"http://127.0.0.1:{port}")
    run(starter.MIGRATE, cwd=site.directory, env=env)
    run(["python", "manage.py", "demo"], cwd=site.directory, env=env)
    log = tmp_path / "server.log"
    with live_server(
        starter.serve(port, 2), port=port, cwd=site.directory, env=env, log=log
    ) as server:
        serves_the_site_and_the_api(server.base_url)
    assert "Traceback" not in log.read_text()


def test_the_production_server_on_sqlite(sqlite_site: Starter, tmp_path: Path) -> None:
    serve_migrated(sqlite_site, f"sqlite:///{tmp_path / 'db.sqlite3'}", tmp_path)


@pytest.mark.postgres
def test_the_production_server_on_postgresql(
    postgres_site: Starter, postgres_url: str, tmp_path: Path
) -> None:
    serve_migrated(postgres_site, postgres_url, tmp_path)


@pytest.mark.parametrize("framework", ["flask", "fastapi"])
def test_a_content_site_on_another_framework_says_what_wagtail_would_have_given(
    framework: str, tmp_path: Path
) -> None:
    features = complete({"app_kind": "cms"})["features"]
    project = render(framework, tmp_path / "project", app_kind="cms", features=features)

    readme = (project / "README.md").read_text()
    assert {"admin", "html_pages"} <= set(features)
    assert "## A content site without Wagtail" in readme
    assert "framework=django" in readme
    assert "wagtail" not in (project / "pyproject.toml").read_text().lower()
    assert "{{" not in readme
    assert "{%" not in readme


def test_the_wagtail_site_does_not_describe_itself_as_missing(sqlite_site: Starter) -> None:
    assert "without Wagtail" not in (sqlite_site.directory / "README.md").read_text()
