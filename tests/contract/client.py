"""A thin client for the starter HTTP contract, used by the black-box tests.

Every helper talks to the live server over real HTTP and asserts only what it
needs to go on (a registration that should work, did), so each test states
its own expectations about the contract.
"""

from __future__ import annotations

import re
import secrets
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

import httpx

PASSWORD = "correct-horse-battery-staple"
ISO_WITH_OFFSET = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
# What leaks look like: framework and driver internals, tracebacks, paths, SQL errors.
LEAK_MARKERS = (
    "Traceback",
    'File "',
    "site-packages",
    "/usr/lib/python",
    "sqlalchemy",
    "psycopg",
    "sqlite3.",
    "django.db",
    "werkzeug.",
    "IntegrityError",
    "OperationalError",
    "ProgrammingError",
    "DataError",
    "Internal Server Error</",
)
T = TypeVar("T")
USER_FIELDS = {"id", "username", "email", "date_joined"}
HASH_MARKERS = ("pbkdf2_", "$argon2", "$2b$", "$2a$", "scrypt:", "bcrypt")


def at_once(base_url: str, count: int, call: Callable[[httpx.Client, int], T]) -> list[T]:
    """Run `call(client, i)` in `count` threads released together, each with its own client."""
    barrier = threading.Barrier(count)

    def released(index: int) -> T:
        with httpx.Client(base_url=base_url, timeout=30) as http:
            barrier.wait(timeout=30)
            return call(http, index)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(released, range(count)))


def unique(prefix: str = "u") -> str:
    """A short name no other test uses: lowercase letters and digits only."""
    return f"{prefix}{secrets.token_hex(5)}"


@dataclass(frozen=True)
class Account:
    id: int
    username: str
    email: str
    password: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def bearer(access: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {access}"}


@dataclass(frozen=True)
class TokenPair:
    """What a v2 token request answers: an access token and a refresh token."""

    access: str
    refresh: str

    @property
    def headers(self) -> dict[str, str]:
        return bearer(self.access)


@dataclass(frozen=True)
class ContractClient:
    """One live starter: its URL, the secret it signs tokens with, and a client."""

    base_url: str
    secret_key: str
    http: httpx.Client
    label: str

    def register(self, username: str | None = None, email: str | None = None) -> Account:
        username = username or unique()
        email = email or f"{username}@example.com"
        response = self.http.post(
            "/api/auth/register",
            json={"username": username, "email": email, "password": PASSWORD},
        )
        assert response.status_code == 201, response.text
        user = response.json()
        token = self.token(username, PASSWORD)
        return Account(user["id"], username, email, PASSWORD, token)

    def token(self, username: str, password: str) -> str:
        response = self.http.post(
            "/api/auth/token", data={"username": username, "password": password}
        )
        assert response.status_code == 200, response.text
        token: str = response.json()["access_token"]
        return token

    def login(self, username: str, password: str) -> httpx.Response:
        return self.http.post("/api/auth/token", data={"username": username, "password": password})

    def pair(self, account: Account, password: str | None = None) -> TokenPair:
        """A fresh access + refresh token pair for `account` (its password, or `password`)."""
        response = self.login(account.username, password or account.password)
        assert response.status_code == 200, response.text
        body = response.json()
        return TokenPair(body["access_token"], body["refresh_token"])

    def refresh(self, refresh_token: str) -> httpx.Response:
        return self.http.post("/api/auth/refresh", json={"refresh_token": refresh_token})

    def logout(self, pair: TokenPair) -> httpx.Response:
        body = {"refresh_token": pair.refresh}
        return self.http.post("/api/auth/logout", json=body, headers=pair.headers)

    def change_password(self, access: str, current: str, new: str) -> httpx.Response:
        body = {"current_password": current, "new_password": new}
        return self.http.post("/api/auth/password", json=body, headers=bearer(access))

    def request_reset(self, email: str, headers: dict[str, str] | None = None) -> httpx.Response:
        return self.http.post("/api/auth/password-reset", json={"email": email}, headers=headers)

    def confirm_reset(self, token: str, password: str) -> httpx.Response:
        body = {"token": token, "password": password}
        return self.http.post("/api/auth/password-reset/confirm", json=body)

    def verify_email(self, token: str) -> httpx.Response:
        return self.http.post("/api/auth/verify-email", json={"token": token})

    def resend_verification(self, access: str) -> httpx.Response:
        return self.http.post("/api/auth/verify-email/resend", headers=bearer(access))

    def me(self, access: str) -> httpx.Response:
        return self.http.get("/api/users/me", headers=bearer(access))

    def create_article(
        self, account: Account, *, title: str | None = None, published: bool = True
    ) -> dict[str, Any]:
        body = {"title": title or unique("Title "), "content": "Body text.", "published": published}
        response = self.http.post("/api/articles", json=body, headers=account.headers)
        assert response.status_code == 201, response.text
        article: dict[str, Any] = response.json()
        return article

    def list_articles(self, headers: dict[str, str] | None = None, **query: str) -> httpx.Response:
        return self.http.get("/api/articles", params=query, headers=headers or {})


def assert_error_body(response: httpx.Response) -> Any:
    """Every error is a JSON object with `detail`, and leaks nothing."""
    assert response.headers.get("content-type", "").startswith("application/json"), (
        response.status_code,
        response.headers.get("content-type"),
        response.text[:300],
    )
    body = response.json()
    assert isinstance(body, dict), body
    assert "detail" in body, body
    assert_no_leak(response)
    return body["detail"]


def assert_no_leak(response: httpx.Response, *secrets_: str) -> None:
    text = response.text
    for marker in (*LEAK_MARKERS, *secrets_):
        assert marker not in text, f"{response.status_code} response leaks {marker!r}: {text[:500]}"


def assert_validation_error(response: httpx.Response, field: str, location: str) -> None:
    """422 with a list of {loc, msg, type} where one loc is [location, ..., field]."""
    assert response.status_code == 422, (response.status_code, response.text[:500])
    detail = assert_error_body(response)
    assert isinstance(detail, list), detail
    assert detail, detail
    for item in detail:
        assert isinstance(item, dict), item
        assert isinstance(item.get("loc"), list), item
        assert isinstance(item.get("msg"), str), item
        assert isinstance(item.get("type"), str), item
    locations = [item["loc"] for item in detail]
    assert any(loc[0] == location and loc[-1] == field for loc in locations), locations


def assert_timestamp(value: object) -> datetime:
    assert isinstance(value, str), value
    assert ISO_WITH_OFFSET.match(value), f"not ISO 8601 with an offset: {value!r}"
    parsed = datetime.fromisoformat(value)
    assert parsed.utcoffset() is not None, value
    return parsed


def assert_user_object(user: object, username: str, email: str) -> None:
    assert isinstance(user, dict), user
    # v2 adds email_verified (tests/contract/test_lifecycle.py requires it).
    assert set(user) - {"email_verified"} == USER_FIELDS, sorted(user)
    assert isinstance(user["id"], int), user
    assert user["username"] == username
    assert user["email"].lower() == email.lower()
    assert_timestamp(user["date_joined"])


def assert_article_object(article: object) -> None:
    assert isinstance(article, dict), article
    expected = {"id", "title", "slug", "content", "published", "author", "created_at", "updated_at"}
    assert set(article) == expected, sorted(article)
    assert isinstance(article["id"], int)
    assert isinstance(article["title"], str)
    assert isinstance(article["slug"], str)
    assert isinstance(article["content"], str)
    assert isinstance(article["published"], bool)
    assert set(article["author"]) == {"id", "username"}, article["author"]
    assert_timestamp(article["created_at"])
    assert_timestamp(article["updated_at"])


def assert_no_password(response: httpx.Response, password: str = PASSWORD) -> None:
    text = response.text
    assert password not in text, text[:500]
    assert "password" not in text.lower(), text[:500]
    for marker in HASH_MARKERS:
        assert marker not in text, text[:500]
