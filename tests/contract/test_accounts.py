"""Accounts and tokens: registration, the token endpoint, /users/me, brute-force throttling."""

from __future__ import annotations

import secrets
import time
import uuid
from typing import Any

import jwt
import pytest

from tests.contract.client import (
    PASSWORD,
    ContractClient,
    assert_error_body,
    assert_no_password,
    assert_user_object,
    assert_validation_error,
    unique,
)

pytestmark = pytest.mark.slow


def forge(api: ContractClient, **claims: Any) -> str:
    now = int(time.time())
    # v2's access tokens carry a jti (what a logout denies); a starter may require it.
    payload = {"iat": now, "exp": now + 600, "jti": uuid.uuid4().hex, **claims}
    return jwt.encode(payload, api.secret_key, algorithm="HS256")


def me(api: ContractClient, authorization: str | None) -> Any:
    headers = {} if authorization is None else {"Authorization": authorization}
    return api.http.get("/api/users/me", headers=headers)


def test_register_returns_the_user_object(api: ContractClient) -> None:
    username = unique("Ada.")
    email = f"{username}@Example.com"
    response = api.http.post(
        "/api/auth/register", json={"username": username, "email": email, "password": PASSWORD}
    )
    assert response.status_code == 201, response.text
    assert response.headers["content-type"].startswith("application/json")
    assert_user_object(response.json(), username, email)
    assert_no_password(response)


@pytest.mark.parametrize("field", ["username", "email", "password"])
def test_register_rejects_a_missing_field(api: ContractClient, field: str) -> None:
    username = unique()
    body = {"username": username, "email": f"{username}@example.com", "password": PASSWORD}
    del body[field]
    response = api.http.post("/api/auth/register", json=body)
    assert_validation_error(response, field, "body")


@pytest.mark.parametrize(
    "email", ["not-an-email", "a@", "@example.com", "a b@example.com", "", "x" * 300 + "@e.com"]
)
def test_register_rejects_a_bad_email(api: ContractClient, email: str) -> None:
    body = {"username": unique(), "email": email, "password": PASSWORD}
    assert_validation_error(api.http.post("/api/auth/register", json=body), "email", "body")


@pytest.mark.parametrize(
    "username",
    ["ab", "x" * 151, "has space", "semi;colon", "slash/name", "quote'name", "", "émoji😀x"],
    ids=["too-short", "too-long", "space", "semicolon", "slash", "quote", "empty", "non-ascii"],
)
def test_register_rejects_a_bad_username(api: ContractClient, username: str) -> None:
    body = {"username": username, "email": f"{unique()}@example.com", "password": PASSWORD}
    assert_validation_error(api.http.post("/api/auth/register", json=body), "username", "body")


@pytest.mark.parametrize("suffix", ["abc", "a.b", "a@b", "a+b", "a-b", "a_b", "x" * 140])
def test_register_accepts_every_allowed_username_character(
    api: ContractClient, suffix: str
) -> None:
    username = (unique() + suffix)[:150]
    body = {"username": username, "email": f"{unique()}@example.com", "password": PASSWORD}
    response = api.http.post("/api/auth/register", json=body)
    assert response.status_code == 201, response.text
    assert response.json()["username"] == username


@pytest.mark.parametrize("length", [3, 150])
def test_register_accepts_the_shortest_and_longest_usernames(
    api: ContractClient, length: int
) -> None:
    username = (secrets.token_hex(80) + "Z")[-length:]
    body = {"username": username, "email": f"{unique()}@example.com", "password": PASSWORD}
    response = api.http.post("/api/auth/register", json=body)
    assert response.status_code == 201, response.text
    assert response.json()["username"] == username


def test_register_rejects_a_short_password(api: ContractClient) -> None:
    body = {"username": unique(), "email": f"{unique()}@example.com", "password": "seven77"}
    assert_validation_error(api.http.post("/api/auth/register", json=body), "password", "body")


def test_register_accepts_an_eight_character_password(api: ContractClient) -> None:
    body = {"username": unique(), "email": f"{unique()}@example.com", "password": "eight888"}
    assert api.http.post("/api/auth/register", json=body).status_code == 201


def test_register_rejects_a_password_equal_to_the_username(api: ContractClient) -> None:
    username = unique("samename")
    body = {"username": username, "email": f"{username}@example.com", "password": username}
    assert_validation_error(api.http.post("/api/auth/register", json=body), "password", "body")


def test_register_rejects_a_taken_username(api: ContractClient) -> None:
    taken = api.register()
    body = {"username": taken.username, "email": f"{unique()}@example.com", "password": PASSWORD}
    response = api.http.post("/api/auth/register", json=body)
    assert response.status_code == 409, response.text
    assert_error_body(response)


def test_register_rejects_a_taken_email_whatever_its_case(api: ContractClient) -> None:
    taken = api.register(email=f"{unique()}@example.com")
    body = {"username": unique(), "email": taken.email.upper(), "password": PASSWORD}
    response = api.http.post("/api/auth/register", json=body)
    assert response.status_code == 409, response.text
    assert_error_body(response)


def test_token_answers_the_oauth2_shape(api: ContractClient) -> None:
    account = api.register()
    response = api.http.post(
        "/api/auth/token", data={"username": account.username, "password": account.password}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    # v2's account lifecycle adds a refresh token beside the v1 body.
    assert set(body) - {"refresh_token"} == {"access_token", "token_type", "expires_in"}, body
    assert body["token_type"] == "bearer"
    assert isinstance(body["expires_in"], int)
    assert body["expires_in"] == 30 * 60
    claims = jwt.decode(body["access_token"], api.secret_key, algorithms=["HS256"])
    assert claims["sub"] == str(account.id)
    assert claims["exp"] - claims["iat"] == 30 * 60
    assert abs(claims["iat"] - time.time()) < 120


@pytest.mark.parametrize("wrong", ["password", "username"])
def test_token_rejects_wrong_credentials(api: ContractClient, wrong: str) -> None:
    account = api.register()
    form = {"username": account.username, "password": account.password}
    form[wrong] = form[wrong] + "-wrong"
    response = api.http.post("/api/auth/token", data=form)
    assert response.status_code == 401, response.text
    assert response.headers.get("www-authenticate", "").lower().startswith("bearer")
    assert_error_body(response)


def test_token_is_form_encoded_not_json(api: ContractClient) -> None:
    account = api.register()
    body = {"username": account.username, "password": account.password}
    response = api.http.post("/api/auth/token", json=body)
    assert response.status_code in {400, 415, 422}, response.text
    assert_error_body(response)


def test_me_returns_the_caller(api: ContractClient) -> None:
    account = api.register()
    response = me(api, f"Bearer {account.token}")
    assert response.status_code == 200, response.text
    assert_user_object(response.json(), account.username, account.email)
    assert_no_password(response)


def test_me_accepts_a_token_signed_with_the_secret_key(api: ContractClient) -> None:
    """The control for the forged-token tests below: a well-formed forgery is accepted."""
    account = api.register()
    response = me(api, f"Bearer {forge(api, sub=str(account.id))}")
    assert response.status_code == 200, response.text


def assert_unauthorized(response: Any) -> None:
    assert response.status_code == 401, (response.status_code, response.text[:300])
    assert response.headers.get("www-authenticate", "").lower().startswith("bearer")
    assert_error_body(response)


@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer", "Bearer not-a-jwt", "Bearer a.b.c", "Basic dXNlcjpwYXNz", "xyz"],
)
def test_me_rejects_a_missing_or_malformed_token(
    api: ContractClient, authorization: str | None
) -> None:
    assert_unauthorized(me(api, authorization))


def test_me_rejects_a_tampered_signature(api: ContractClient) -> None:
    account = api.register()
    header, payload, signature = account.token.split(".")
    middle = len(signature) // 2
    flipped = "A" if signature[middle] != "A" else "B"
    tampered = f"{header}.{payload}.{signature[:middle]}{flipped}{signature[middle + 1 :]}"
    assert_unauthorized(me(api, f"Bearer {tampered}"))


def test_me_rejects_a_token_signed_with_another_key(api: ContractClient) -> None:
    account = api.register()
    now = int(time.time())
    claims = {"sub": str(account.id), "iat": now, "exp": now + 600}
    token = jwt.encode(claims, "another-key-" + "x" * 40, algorithm="HS256")
    assert_unauthorized(me(api, f"Bearer {token}"))


def test_me_rejects_an_unsigned_token(api: ContractClient) -> None:
    account = api.register()
    now = int(time.time())
    token = jwt.encode({"sub": str(account.id), "iat": now, "exp": now + 600}, None, "none")
    assert_unauthorized(me(api, f"Bearer {token}"))


def test_me_rejects_an_expired_token(api: ContractClient) -> None:
    account = api.register()
    past = int(time.time()) - 3600
    token = forge(api, sub=str(account.id), iat=past - 1800, exp=past)
    assert_unauthorized(me(api, f"Bearer {token}"))


@pytest.mark.parametrize("subject", ["2147483000", "0", "-1", "not-a-number", ""])
def test_me_rejects_a_token_of_a_missing_user(api: ContractClient, subject: str) -> None:
    assert_unauthorized(me(api, f"Bearer {forge(api, sub=subject)}"))


def test_five_failures_then_429_with_retry_after(api: ContractClient) -> None:
    account = api.register()
    wrong = {"username": account.username, "password": "wrong-password"}
    for attempt in range(5):
        response = api.http.post("/api/auth/token", data=wrong)
        assert response.status_code == 401, (attempt, response.status_code, response.text)
    throttled = api.http.post("/api/auth/token", data=wrong)
    assert throttled.status_code == 429, throttled.text
    assert_error_body(throttled)
    retry_after = throttled.headers.get("retry-after", "")
    assert retry_after.isdigit(), retry_after
    assert 0 < int(retry_after) <= 15 * 60, retry_after
    right = {"username": account.username, "password": account.password}
    assert api.http.post("/api/auth/token", data=right).status_code == 429


def test_the_throttle_is_per_username(api: ContractClient) -> None:
    locked, other = api.register(), api.register()
    wrong = {"username": locked.username, "password": "wrong-password"}
    for _ in range(6):
        api.http.post("/api/auth/token", data=wrong)
    assert api.http.post("/api/auth/token", data=wrong).status_code == 429
    right = {"username": other.username, "password": other.password}
    assert api.http.post("/api/auth/token", data=right).status_code == 200
