"""Headers: security headers on every response, request IDs, HSTS in production, CORS."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.contract.client import Account, ContractClient, unique
from tests.contract.servers import RunningStarter, Starter, migrated_server

pytestmark = pytest.mark.slow

ALLOWED_ORIGIN = "https://app.example.com"
# Stricter than same-origin means sending no more: only no-referrer qualifies.
REFERRER_POLICIES = {"same-origin", "no-referrer"}


def sample_responses(api: ContractClient, account: Account) -> list[httpx.Response]:
    """One response of each kind: success, created, empty, client errors, docs."""
    article = api.create_article(account)
    path = f"/api/articles/{article['slug']}"
    return [
        api.http.get("/api/health"),
        api.http.get("/api/health/ready"),
        api.http.get("/api/articles"),
        api.http.post(
            "/api/articles", json={"title": unique(), "content": "x"}, headers=account.headers
        ),
        api.http.get(path),
        api.http.delete(path, headers=account.headers),
        api.http.get("/api/users/me"),
        api.http.post("/api/auth/token", data={"username": unique(), "password": "wrong-pass"}),
        api.http.get("/api/articles", params={"page": "0"}),
        api.http.get("/api/nope"),
        api.http.put("/api/articles"),
        api.http.get("/api/openapi.json"),
        api.http.get("/api/docs", follow_redirects=True),
        api.http.get("/api/redoc", follow_redirects=True),
    ]


def test_every_response_carries_the_security_headers(api: ContractClient, author: Account) -> None:
    for response in sample_responses(api, author):
        where = f"{response.request.method} {response.request.url.path} -> {response.status_code}"
        headers = response.headers
        assert headers.get("x-content-type-options") == "nosniff", where
        assert headers.get("x-frame-options", "").upper() == "DENY", where
        policies = {p.strip().lower() for p in headers.get("referrer-policy", "").split(",")}
        assert policies <= REFERRER_POLICIES, (where, headers.get("referrer-policy"))
        assert headers.get("x-request-id"), where


def test_request_id_is_echoed(api: ContractClient) -> None:
    request_id = unique("req-")
    for path in ("/api/health", "/api/nope", "/api/users/me"):
        response = api.http.get(path, headers={"X-Request-ID": request_id})
        assert response.headers.get("x-request-id") == request_id, path


def test_request_id_is_generated_when_missing(api: ContractClient) -> None:
    first = api.http.get("/api/health").headers.get("x-request-id")
    second = api.http.get("/api/health").headers.get("x-request-id")
    assert first
    assert second
    assert first != second


def test_production_cookies_are_secure(api: ContractClient) -> None:
    for path in ("/api/docs", "/api/redoc", "/api/health", "/admin/", "/admin/login/"):
        response = api.http.get(path, headers={"X-Forwarded-Proto": "https"})
        for cookie in response.headers.get_list("set-cookie"):
            assert "secure" in cookie.lower(), (path, cookie)


def test_cors_is_off_by_default(api: ContractClient) -> None:
    headers = {"Origin": ALLOWED_ORIGIN}
    assert "access-control-allow-origin" not in api.http.get("/api/health", headers=headers).headers
    preflight = api.http.options(
        "/api/articles",
        headers={**headers, "Access-Control-Request-Method": "POST"},
    )
    assert "access-control-allow-origin" not in preflight.headers


@pytest.fixture(scope="module")
def cors_server(sqlite_starter: Starter) -> Iterator[RunningStarter]:
    with migrated_server(
        sqlite_starter, CORS_ORIGINS=f"{ALLOWED_ORIGIN},https://other.example"
    ) as live:
        yield live


def test_cors_allows_a_listed_origin(cors_server: RunningStarter) -> None:
    url = f"{cors_server.base_url}/api/articles"
    response = httpx.get(url, headers={"Origin": ALLOWED_ORIGIN}, timeout=10)
    assert response.status_code == 200
    assert response.headers.get("access-control-allow-origin") == ALLOWED_ORIGIN
    preflight = httpx.options(
        url,
        headers={
            "Origin": ALLOWED_ORIGIN,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type",
        },
        timeout=10,
    )
    assert preflight.status_code in {200, 204}, preflight.text
    assert preflight.headers.get("access-control-allow-origin") == ALLOWED_ORIGIN
    assert "POST" in preflight.headers.get("access-control-allow-methods", "").upper()
    allowed_headers = preflight.headers.get("access-control-allow-headers", "").lower()
    assert "authorization" in allowed_headers, allowed_headers


def test_cors_refuses_an_unlisted_origin(cors_server: RunningStarter) -> None:
    response = httpx.get(
        f"{cors_server.base_url}/api/articles",
        headers={"Origin": "https://evil.example"},
        timeout=10,
    )
    assert response.headers.get("access-control-allow-origin") not in {"*", "https://evil.example"}
