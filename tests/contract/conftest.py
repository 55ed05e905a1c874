"""Live starters for the contract suite: every framework on SQLite and on PostgreSQL.

The suite shares one server per framework x database (2 workers, production
settings); every test uses its own users or titles, so tests depend neither on
each other nor on their order.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.contract.client import Account, ContractClient
from tests.contract.mail import MailBox, mail_server
from tests.contract.servers import RunningStarter, Starter, migrated_server, prepare
from tests.support import FRAMEWORKS

DATABASES = ("sqlite", "postgresql")


def server_params(databases: tuple[str, ...] = DATABASES) -> list[object]:
    params: list[object] = []
    for framework in FRAMEWORKS:
        for database in databases:
            marks = [pytest.mark.slow]
            if database == "postgresql":
                marks.append(pytest.mark.postgres)
            params.append(
                pytest.param((framework, database), id=f"{framework}-{database}", marks=marks)
            )
    return params


def _framework_params() -> list[object]:
    return [pytest.param(fw, id=fw, marks=pytest.mark.slow) for fw in FRAMEWORKS]


@pytest.fixture(scope="session", params=server_params())
def running(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningStarter]:
    framework, database = request.param
    starter = prepare(framework, database, tmp_path_factory.mktemp(f"{framework}-{database}"))
    with migrated_server(starter) as live:
        yield live


@pytest.fixture(scope="session")
def mailbox() -> MailBox:
    """Every mail the contract servers of this test process sent (they all use one SMTP server)."""
    return mail_server().box


@pytest.fixture(scope="session")
def api(running: RunningStarter) -> Iterator[ContractClient]:
    label = f"{running.starter.framework}-{running.starter.database}"
    with httpx.Client(base_url=running.base_url, timeout=15) as http:
        yield ContractClient(running.base_url, running.secret_key, http, label)


@pytest.fixture(scope="session")
def author(api: ContractClient) -> Account:
    """A user shared by tests that only need some author; their titles keep them apart."""
    return api.register()


@pytest.fixture(scope="session")
def stranger(api: ContractClient) -> Account:
    """A second shared user: never the author of what the tests look at."""
    return api.register()


@pytest.fixture(scope="module", params=_framework_params())
def sqlite_starter(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Starter:
    """A SQLite render of one framework, for tests that start servers of their own."""
    framework: str = request.param
    return prepare(framework, "sqlite", tmp_path_factory.mktemp(f"{framework}-sqlite-extra"))


@pytest.fixture(scope="module", params=_framework_params())
def postgresql_starter(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Starter:
    """A PostgreSQL render of one framework, for tests that start servers of their own."""
    framework: str = request.param
    return prepare(framework, "postgresql", tmp_path_factory.mktemp(f"{framework}-pg-extra"))
