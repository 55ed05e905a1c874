"""Health: liveness and readiness, including a database that cannot be reached."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest

from tests.contract.client import ContractClient, assert_error_body, assert_no_leak
from tests.contract.servers import Starter, serve, server_env
from tests.support import LiveServer, free_port

pytestmark = pytest.mark.slow

READINESS_LIMIT_SECONDS = 3.0


def test_liveness(api: ContractClient) -> None:
    response = httpx.get(f"{api.base_url}/api/health", timeout=5)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    assert response.json() == {"status": "ok"}


def test_readiness_with_a_working_database(api: ContractClient) -> None:
    response = httpx.get(f"{api.base_url}/api/health/ready", timeout=5)
    assert response.status_code == 200, response.text
    assert response.json() == {"status": "ok", "database": "ok"}


@pytest.fixture(scope="module")
def unreachable_database_server(postgresql_starter: Starter) -> Iterator[LiveServer]:
    """A production server whose PostgreSQL URL points at a closed local port."""
    closed_port = free_port()
    url = f"postgresql://postgres@127.0.0.1:{closed_port}/nowhere"
    env = server_env(postgresql_starter, url)
    with serve(postgresql_starter, env, workers=1) as server:
        yield server


def test_liveness_does_not_touch_the_database(unreachable_database_server: LiveServer) -> None:
    response = httpx.get(f"{unreachable_database_server.base_url}/api/health", timeout=5)
    assert response.status_code == 200, response.text
    assert response.json() == {"status": "ok"}


def test_readiness_fails_fast_without_a_database(unreachable_database_server: LiveServer) -> None:
    for _ in range(2):
        started = time.monotonic()
        response = httpx.get(f"{unreachable_database_server.base_url}/api/health/ready", timeout=30)
        elapsed = time.monotonic() - started
        assert response.status_code == 503, response.text
        assert response.json() == {"status": "unavailable", "database": "error"}
        assert elapsed < READINESS_LIMIT_SECONDS, f"took {elapsed:.1f} s"
        assert_no_leak(response)


@pytest.mark.parametrize(
    ("method", "path"), [("GET", "/api/articles"), ("POST", "/api/auth/token")]
)
def test_an_unexpected_failure_is_a_bare_500(
    unreachable_database_server: LiveServer, method: str, path: str
) -> None:
    """Without its database the API fails, and says no more than that."""
    form = {"username": "someone", "password": "some-password"}
    response = httpx.request(
        method,
        f"{unreachable_database_server.base_url}{path}",
        data=form if method == "POST" else None,
        timeout=30,
    )
    assert response.status_code in {500, 503}, (response.status_code, response.text[:300])
    assert_error_body(response)
    if response.status_code == 500:
        assert response.json() == {"detail": "Internal Server Error"}
    assert_no_leak(response, "127.0.0.1", "nowhere")
