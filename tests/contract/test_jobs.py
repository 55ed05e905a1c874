"""Background jobs (feature `jobs`): account mail through the queue, its retries, the periodic
statistics, and the in-process fallback without Redis.

Each starter is rendered with `jobs` and served by its production server (2 workers); the
job worker is the starter's own `make worker` command, a separate process on the same
database and Redis, started and stopped by the tests. The statistics are read from the
`author_stats` table the job writes. The renders have `observability` too: the worker
serves its own metrics when METRICS_ENABLED is set.
"""

from __future__ import annotations

import secrets
import sqlite3
import time
from collections.abc import Iterator
from typing import Any

import httpx
import psycopg
import pytest
from aiosmtpd.controller import Controller
from prometheus_client.parser import text_string_to_metric_families

from tests.contract.client import PASSWORD, ContractClient, bearer
from tests.contract.conftest import server_params
from tests.contract.mail import MailBox
from tests.contract.servers import (
    RunningStarter,
    Starter,
    database_url,
    job_worker,
    prepare,
    private_redis,
    serve,
    server_env,
    site_url,
)
from tests.starters import commands
from tests.support import free_port, run

pytestmark = pytest.mark.slow

# The starters that run jobs; the others' tests skip, saying so.
SERVING_JOBS: tuple[str, ...] = ("django", "flask", "fastapi")
JOB_SETTINGS = {"ARTICLE_STATS_INTERVAL_SECONDS": "1", "JOB_RETRY_BASE_SECONDS": "0.2"}
IN_PROCESS_NOTICE = "jobs run in this process"


@pytest.fixture(scope="module", params=server_params())
def starter(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Starter:
    framework, database = request.param
    if framework not in SERVING_JOBS:
        pytest.skip(f"the {framework} starter does not run background jobs yet")
    workdir = tmp_path_factory.mktemp(f"jobs-{framework}-{database}")
    return prepare(framework, database, workdir, extra_features=["jobs", "observability"])


@pytest.fixture(scope="module")
def own_redis(starter: Starter) -> Iterator[str]:
    with private_redis(starter.project_dir) as url:
        yield url


@pytest.fixture(scope="module")
def served(starter: Starter, own_redis: str) -> Iterator[RunningStarter]:
    with database_url(starter) as url:
        port = free_port()
        settings = server_env(starter, url, REDIS_URL=own_redis, **JOB_SETTINGS)
        env = {"SITE_URL": site_url(port), **settings}
        run(commands(starter.framework).migrate, cwd=starter.project_dir, env=env)
        with serve(starter, env, port=port) as server:
            yield RunningStarter(starter, server, env)


@pytest.fixture(scope="module")
def api(served: RunningStarter) -> Iterator[ContractClient]:
    label = f"jobs-{served.starter.framework}-{served.starter.database}"
    with httpx.Client(base_url=served.base_url, timeout=15) as http:
        yield ContractClient(served.base_url, served.secret_key, http, label)


def author_stats(env: dict[str, str], author_id: int) -> tuple[int, int] | None:
    """(article_count, published_count) of the author's row in author_stats, if any."""
    url = env["DATABASE_URL"]
    sql = "SELECT article_count, published_count FROM author_stats WHERE author_id = %s"
    row: Any
    if url.startswith("sqlite:///"):
        with sqlite3.connect(url.removeprefix("sqlite:///"), timeout=10) as connection:
            row = connection.execute(sql.replace("%s", "?"), (author_id,)).fetchone()
    else:
        with psycopg.connect(url) as connection:
            row = connection.execute(sql, (author_id,)).fetchone()
    return None if row is None else (int(row[0]), int(row[1]))


def wait_for_stats(
    env: dict[str, str], author_id: int, expected: tuple[int, int] | None, timeout: float = 20
) -> None:
    deadline = time.monotonic() + timeout
    while (found := author_stats(env, author_id)) != expected:
        assert time.monotonic() < deadline, f"author_stats holds {found}, expected {expected}"
        time.sleep(0.25)


def write(api: ContractClient, headers: dict[str, str], *, published: bool) -> dict[str, Any]:
    body = {"title": f"Counted {time.monotonic_ns()}", "content": "Text.", "published": published}
    response = api.http.post("/api/articles", json=body, headers=headers)
    assert response.status_code == 201, response.text
    article: dict[str, Any] = response.json()
    return article


def test_account_mail_waits_for_the_worker_and_is_sent_once_by_it(
    served: RunningStarter, api: ContractClient, mailbox: MailBox
) -> None:
    account = api.register()

    mailbox.none_for(account.email, within=2.0)
    with job_worker(served.starter, served.env) as worker:
        mails = mailbox.wait_for(account.email, timeout=30)
        time.sleep(1.5)
        assert len(mailbox.to(account.email)) == 1, worker.output()

    assert mails[0].link_with_token().startswith(f"{served.base_url}/verify-email?token=")


def test_mail_that_fails_while_smtp_is_down_is_retried_and_arrives_once(
    served: RunningStarter, api: ContractClient
) -> None:
    box, port = MailBox(), free_port()
    env = {**served.env, "EMAIL_URL": f"smtp://127.0.0.1:{port}"}
    with job_worker(served.starter, env) as worker:
        account = api.register()
        time.sleep(1.0)
        controller = Controller(box, hostname="127.0.0.1", port=port)
        controller.start()
        try:
            box.wait_for(account.email, timeout=30)
            time.sleep(2.0)
            delivered = box.to(account.email)
        finally:
            controller.stop()

    assert len(delivered) == 1, worker.output()


def test_the_periodic_job_keeps_author_stats_in_step_with_the_articles(
    served: RunningStarter, api: ContractClient
) -> None:
    account = api.register()
    headers = bearer(api.token(account.username, PASSWORD))
    first = write(api, headers, published=True)
    second = write(api, headers, published=True)
    draft = write(api, headers, published=False)
    author_id = int(first["author"]["id"])

    with job_worker(served.starter, served.env) as worker:
        try:
            wait_for_stats(served.env, author_id, (3, 2))
            deleted = api.http.delete(f"/api/articles/{first['slug']}", headers=headers)
            assert deleted.status_code == 204, deleted.text
            wait_for_stats(served.env, author_id, (2, 1))
            for article in (second, draft):
                api.http.delete(f"/api/articles/{article['slug']}", headers=headers)
            wait_for_stats(served.env, author_id, None)
        except AssertionError as failure:
            raise AssertionError(f"{failure}\n--- worker ---\n{worker.output()}") from failure


def test_without_redis_the_server_runs_the_jobs_itself_and_says_so(
    served: RunningStarter, mailbox: MailBox
) -> None:
    env = {key: value for key, value in served.env.items() if key != "REDIS_URL"}
    port = free_port()
    env["SITE_URL"] = site_url(port)
    with (
        serve(served.starter, env, port=port) as server,
        httpx.Client(base_url=server.base_url, timeout=15) as http,
    ):
        api = ContractClient(server.base_url, served.secret_key, http, "jobs-in-process")
        account = api.register()
        mailbox.wait_for(account.email, timeout=15)
        log = server.output()

    assert IN_PROCESS_NOTICE in log, log


def test_the_worker_serves_its_job_metrics_behind_the_token(
    served: RunningStarter, api: ContractClient, mailbox: MailBox
) -> None:
    token, port = secrets.token_urlsafe(16), free_port()
    env = {
        **served.env,
        "METRICS_ENABLED": "true",
        "METRICS_TOKEN": token,
        "WORKER_METRICS_HOST": "127.0.0.1",
        "WORKER_METRICS_PORT": str(port),
    }
    url = f"http://127.0.0.1:{port}/metrics"
    with job_worker(served.starter, env) as worker:
        account = api.register()
        mailbox.wait_for(account.email, timeout=30)
        deadline = time.monotonic() + 15
        while (sent := sent_mail_jobs(url, token)) < 1:
            assert time.monotonic() < deadline, worker.output()
            time.sleep(0.2)
        refused = [httpx.get(url, timeout=5, headers=headers) for headers in ({}, bearer("no"))]

    assert sent == 1, worker.output()
    for response in refused:
        assert response.status_code == 401, response.text
        assert response.json() == {"detail": "Not authenticated"}


def sent_mail_jobs(url: str, token: str) -> float:
    """jobs_total{job="send_email", outcome="success"} on the worker's /metrics (0 if not up)."""
    try:
        response = httpx.get(url, headers=bearer(token), timeout=5)
    except httpx.TransportError:
        return 0
    assert response.status_code == 200, response.text
    return sum(
        sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
        if sample.name == "jobs_total"
        and sample.labels == {"job": "send_email", "outcome": "success"}
    )
