"""Errors: JSON with `detail`, broken and oversized bodies, 404/405, no leaks whatever the input."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote, urljoin

import httpx
import pytest

from tests.contract.client import (
    PASSWORD,
    Account,
    ContractClient,
    assert_error_body,
    assert_no_leak,
    assert_validation_error,
    unique,
)

pytestmark = pytest.mark.slow

ONE_MIB = 1024 * 1024


def send(api: ContractClient, method: str, path: str, **kwargs: Any) -> httpx.Response:
    response = api.http.request(method, path, **kwargs)
    assert_no_leak(response, api.secret_key)
    return response


@pytest.mark.parametrize("body", [b"{not json", b'{"title": "x",}', b"\xff\xfe", b"[1, 2", b""])
def test_a_body_that_is_not_json_is_422_or_400(
    api: ContractClient, author: Account, body: bytes
) -> None:
    headers = {**author.headers, "Content-Type": "application/json"}
    for method, path in [("POST", "/api/articles"), ("POST", "/api/auth/register")]:
        response = send(api, method, path, content=body, headers=headers)
        assert response.status_code in {400, 422}, (path, response.status_code, response.text)
        assert_error_body(response)
    article = api.create_article(author)
    response = send(api, "PATCH", f"/api/articles/{article['slug']}", content=body, headers=headers)
    assert response.status_code in {400, 422}, response.text
    assert_error_body(response)


@pytest.mark.parametrize("path", ["/api/articles", "/api/auth/register"])
def test_a_body_over_one_mebibyte_is_413(api: ContractClient, author: Account, path: str) -> None:
    body = json.dumps({"title": "Big", "content": "x" * ONE_MIB, "username": "big"}).encode()
    headers = {**author.headers, "Content-Type": "application/json"}
    response = send(api, "POST", path, content=body, headers=headers)
    assert response.status_code == 413, (response.status_code, response.text[:300])
    assert_error_body(response)
    # Clients reuse keep-alive connections: one that answered 413 must serve the next request
    # (or have said `Connection: close`).
    assert api.http.get("/api/health").status_code == 200


def test_a_large_body_under_the_limit_is_accepted(api: ContractClient, author: Account) -> None:
    content = "x" * 60_000
    body = {"title": unique("Large "), "content": content}
    response = send(api, "POST", "/api/articles", json=body, headers=author.headers)
    assert response.status_code == 201, response.text[:300]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("DELETE", "/api/health"),
        ("POST", "/api/health/ready"),
        ("PUT", "/api/articles"),
        ("DELETE", "/api/articles"),
        ("GET", "/api/auth/token"),
        ("GET", "/api/auth/register"),
        ("POST", "/api/users/me"),
        ("PUT", "/api/articles/some-slug"),
    ],
)
def test_a_method_the_path_does_not_allow_is_405(
    api: ContractClient, author: Account, method: str, path: str
) -> None:
    response = send(api, method, path, json={}, headers=author.headers)
    assert response.status_code == 405, response.text
    assert_error_body(response)


@pytest.mark.parametrize(
    "path", ["/api/nope", "/api/articles/a/b", "/api/health/nope", "/api/users", "/api/v2/articles"]
)
@pytest.mark.parametrize("method", ["GET", "POST", "PATCH", "DELETE"])
def test_an_unknown_api_path_is_404_json(
    api: ContractClient, author: Account, method: str, path: str
) -> None:
    for headers in ({}, author.headers):
        response = send(api, method, path, json={}, headers=headers)
        assert response.status_code == 404, (method, path, response.status_code, response.text)
        assert_error_body(response)


NASTY_STRINGS = [
    "'; DROP TABLE articles; --",
    '" OR 1=1 --',
    "%",
    "_",
    "\\",
    "a\x00b",
    "😀" * 50,
    "../../etc/passwd",
    "<script>alert(1)</script>",
    "{{7*7}}",
    "x" * 5000,
]
# Request lines stay under the 4 KiB that production servers accept by default.
NASTY_SLUGS = [*NASTY_STRINGS[:-1], "x" * 1000]


@pytest.mark.parametrize("value", NASTY_SLUGS)
def test_nasty_query_values_never_break_the_list(api: ContractClient, value: str) -> None:
    for name in ("search", "author"):
        response = send(api, "GET", "/api/articles", params={name: value})
        if response.status_code == 422:
            assert_validation_error(response, name, "query")
            continue
        assert response.status_code == 200, (name, response.status_code, response.text[:300])


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("page", "99999999999999999999"),
        ("page", "2147483648"),
        ("page_size", "99999999999999999999"),
        ("page", "1.5"),
        ("page", "1e3"),
        ("page_size", ""),
        ("published", "\x00"),
    ],
)
def test_nasty_page_values_are_client_errors(api: ContractClient, name: str, value: str) -> None:
    response = send(api, "GET", "/api/articles", params={name: value})
    assert response.status_code in {404, 422}, (response.status_code, response.text[:300])
    assert_error_body(response)


@pytest.mark.parametrize("value", NASTY_SLUGS)
def test_nasty_slugs_are_client_errors(api: ContractClient, author: Account, value: str) -> None:
    path = "/api/articles/" + quote(value, safe="")
    for method in ("GET", "PATCH", "DELETE"):
        response = send(api, method, path, json={"title": "t"}, headers=author.headers)
        assert 400 <= response.status_code < 500, (method, response.status_code, response.text)
        assert_error_body(response)


@pytest.mark.parametrize("value", NASTY_STRINGS)
def test_nasty_article_bodies_are_stored_or_refused_cleanly(
    api: ContractClient, author: Account, value: str
) -> None:
    body = {"title": value[:200], "content": value, "published": True}
    response = send(api, "POST", "/api/articles", json=body, headers=author.headers)
    assert response.status_code in {201, 422}, (response.status_code, response.text[:300])
    if response.status_code == 422:
        assert_error_body(response)
        return
    article = response.json()
    assert article["slug"], article
    fetched = send(api, "GET", urljoin(api.base_url + "/", response.headers["location"]))
    assert fetched.status_code == 200, fetched.text
    assert fetched.json()["content"] == value


@pytest.mark.parametrize(
    "body",
    [
        [],
        "just a string",
        None,
        42,
        {"title": {"nested": True}, "content": "x"},
        {"title": ["a"], "content": "x"},
        {"title": "t", "content": "x", "published": [True]},
        {"a" * 1000: "b"},
    ],
    ids=["list", "string", "null", "number", "object-title", "list-title", "list-flag", "odd-key"],
)
def test_wrong_json_types_are_422(api: ContractClient, author: Account, body: object) -> None:
    headers = {**author.headers, "Content-Type": "application/json"}
    for path in ("/api/articles", "/api/auth/register"):
        response = send(api, "POST", path, content=json.dumps(body), headers=headers)
        assert response.status_code == 422, (path, response.status_code, response.text[:300])
        assert_error_body(response)


@pytest.mark.parametrize("value", NASTY_STRINGS)
def test_nasty_registrations_and_logins_are_client_errors(api: ContractClient, value: str) -> None:
    body = {"username": value, "email": f"{value}@example.com", "password": value}
    registered = send(api, "POST", "/api/auth/register", json=body)
    assert registered.status_code == 422, (registered.status_code, registered.text[:300])
    assert_error_body(registered)
    login = send(api, "POST", "/api/auth/token", data={"username": value, "password": PASSWORD})
    assert login.status_code in {401, 422, 429}, (login.status_code, login.text[:300])
    assert_error_body(login)


@pytest.mark.parametrize(
    "authorization",
    [
        "Bearer " + "x" * 8000,
        "Bearer \u00e9\u00e8",
        "Bearer a.b.c.d.e",
        "Bearer eyJhbGciOiJub25lIn0..",
    ],
)
def test_nasty_tokens_are_401(api: ContractClient, authorization: str) -> None:
    response = send(api, "GET", "/api/users/me", headers={"Authorization": authorization.encode()})
    assert response.status_code in {400, 401, 431}, (response.status_code, response.text[:300])
    if response.status_code != 431:
        assert_error_body(response)
