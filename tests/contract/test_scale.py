"""Two instances of a starter on one PostgreSQL and one Redis behave as one service.

Each instance is its own gunicorn master with two workers on its own port, as two machines
behind a load balancer would be; requests alternate between them. The PostgreSQL render has
live updates, so fan-out is checked across instances too.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator

import httpx
import pytest
from websockets.sync.client import connect

from tests.contract.client import PASSWORD, ContractClient, at_once
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
)
from tests.contract.test_jobs import SERVING_JOBS
from tests.contract.websocket import event_about, ws_url
from tests.starters import commands
from tests.support import FRAMEWORKS, run

pytestmark = pytest.mark.slow

THROTTLE_LIMIT = 5


@pytest.fixture(scope="module", params=[pytest.param(fw, id=fw) for fw in FRAMEWORKS])
def scaled_starter(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Starter:
    """The PostgreSQL render (live updates), with background jobs where the starter has them."""
    framework: str = request.param
    extra = ["jobs"] if framework in SERVING_JOBS else []
    workdir = tmp_path_factory.mktemp(f"scale-{framework}")
    return prepare(framework, "postgresql", workdir, extra_features=extra)


@pytest.fixture(scope="module")
def pair(scaled_starter: Starter) -> Iterator[tuple[RunningStarter, RunningStarter]]:
    starter = scaled_starter
    with private_redis(starter.project_dir) as redis, database_url(starter) as url:
        env = server_env(starter, url, REDIS_URL=redis)
        run(commands(starter.framework).migrate, cwd=starter.project_dir, env=env)
        with serve(starter, env) as first, serve(starter, env) as second:
            yield RunningStarter(starter, first, env), RunningStarter(starter, second, env)


@pytest.fixture(scope="module")
def apis(pair: tuple[RunningStarter, RunningStarter]) -> Iterator[list[ContractClient]]:
    with contextlib.ExitStack() as stack:
        clients = []
        for number, instance in enumerate(pair):
            http = stack.enter_context(httpx.Client(base_url=instance.base_url, timeout=15))
            clients.append(
                ContractClient(instance.base_url, instance.secret_key, http, f"#{number}")
            )
        yield clients


def test_what_one_instance_writes_the_other_reads(apis: list[ContractClient]) -> None:
    first, second = apis
    account = first.register()
    token = second.token(account.username, PASSWORD)
    headers = {"Authorization": f"Bearer {token}"}
    article = second.http.post(
        "/api/articles",
        json={"title": "Written on the second", "content": "Text.", "published": True},
        headers=headers,
    )
    assert article.status_code == 201, article.text
    slug = article.json()["slug"]
    assert first.http.get(f"/api/articles/{slug}").json() == article.json()
    assert first.http.get("/api/users/me", headers=headers).json()["username"] == account.username


def test_the_login_throttle_counts_the_guesses_of_both_instances(
    apis: list[ContractClient],
) -> None:
    first, second = apis
    account = first.register()

    def guess(http: httpx.Client, index: int) -> httpx.Response:
        target = apis[index % 2].base_url
        form = {"username": account.username, "password": f"wrong-password-{index}"}
        return http.post(f"{target}/api/auth/token", data=form)

    responses = at_once(first.base_url, 30, guess)
    statuses = [response.status_code for response in responses]
    assert set(statuses) <= {401, 429}, statuses
    assert statuses.count(401) <= THROTTLE_LIMIT, statuses
    for api in (first, second):
        locked = api.http.post(
            "/api/auth/token", data={"username": account.username, "password": PASSWORD}
        )
        assert locked.status_code == 429, (api.label, locked.text)


def test_a_logout_on_one_instance_ends_the_tokens_on_both(apis: list[ContractClient]) -> None:
    first, second = apis
    account = first.register()
    pair = first.pair(account)
    assert second.me(pair.access).status_code == 200

    assert first.logout(pair).status_code == 204

    for api in (first, second):
        assert api.me(pair.access).status_code == 401, api.label
        assert api.refresh(pair.refresh).status_code == 401, api.label
    assert second.me(second.pair(account).access).status_code == 200


def test_an_article_published_on_one_instance_reaches_the_clients_of_both(
    pair: tuple[RunningStarter, RunningStarter], apis: list[ContractClient]
) -> None:
    author = apis[0].register()
    urls = [ws_url(instance.base_url) for instance in pair]
    with contextlib.ExitStack() as stack:
        clients = [stack.enter_context(connect(url, open_timeout=10)) for url in urls * 3]
        for writer in apis:
            sent = time.monotonic()
            article = writer.create_article(author)
            for client in clients:
                event_about(client, article["slug"], timeout=2)
                assert time.monotonic() - sent <= 1.25, writer.label


def test_jobs_queued_by_either_instance_run_once_on_two_workers(
    pair: tuple[RunningStarter, RunningStarter], apis: list[ContractClient], mailbox: MailBox
) -> None:
    starter = pair[0].starter
    if starter.framework not in SERVING_JOBS:
        pytest.skip(f"the {starter.framework} starter does not run background jobs yet")
    scheduled = commands(starter.framework).worker
    plain = [arg for arg in scheduled if arg != "--beat"]
    env = pair[0].env
    # Two workers, as two machines would run them; only one of them starts the periodic jobs.
    with job_worker(starter, env, name="scheduled"), job_worker(starter, env, argv=plain):
        accounts = [apis[index % 2].register() for index in range(6)]
        for account in accounts:
            mailbox.wait_for(account.email, timeout=30)
        time.sleep(1.5)

    assert [len(mailbox.to(account.email)) for account in accounts] == [1] * 6
