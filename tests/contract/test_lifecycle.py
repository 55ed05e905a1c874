"""The account lifecycle (CONTRACT.md v2): refresh tokens, logout, password change and reset,
email verification, their throttles, and the API docs that describe them.

Mail is real: every contract server sends to this process's SMTP server (tests/contract/mail.py),
and each test mails fresh addresses, so it reads only its own messages. Expiry is what time
passing would do, written straight into the table the shared decisions name.
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
import statistics
import time
import tomllib
from typing import Any
from urllib.parse import urlsplit

import httpx
import psycopg
import pytest

from tests.contract.client import (
    PASSWORD,
    Account,
    ContractClient,
    assert_error_body,
    assert_validation_error,
    at_once,
    unique,
)
from tests.contract.mail import Mail, MailBox
from tests.contract.servers import RunningStarter, require_account_lifecycle

THROTTLE_LIMIT = 5
NEW_PASSWORD = "a-brand-new-passphrase"
RESET_SENT = {"detail": "If the address is registered, a reset link has been sent."}
VERIFICATION_SENT = {"detail": "A verification link has been sent."}
RESET_SUBJECT = "Reset your password"
VERIFY_SUBJECT = "Verify your email address"
SLOW_SMTP_SECONDS = 1.0


@pytest.fixture(autouse=True)
def serves_the_lifecycle(running: RunningStarter) -> None:
    require_account_lifecycle(running)


def site_url(running: RunningStarter) -> str:
    return running.env["SITE_URL"]


def assert_401(response: httpx.Response) -> None:
    assert response.status_code == 401, (response.status_code, response.text[:300])
    assert_error_body(response)


def assert_400(response: httpx.Response) -> None:
    assert response.status_code == 400, (response.status_code, response.text[:300])
    assert_error_body(response)


def expire(running: RunningStarter, table: str, token: str) -> None:
    """Make a stored token (refresh_tokens or account_tokens) expired, as time passing would."""
    token_hash = hashlib.sha256(token.encode()).hexdigest()
    url = running.env["DATABASE_URL"]
    sql = f"UPDATE {table} SET expires_at = %s WHERE token_hash = %s"
    if url.startswith("sqlite:///"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as connection:
            updated = connection.execute(
                sql.replace("%s", "?"), ("2000-01-01 00:00:00", token_hash)
            ).rowcount
    else:
        with psycopg.connect(url) as connection:
            updated = connection.execute(sql, ("2000-01-01 00:00:00+00", token_hash)).rowcount
    assert updated == 1, f"no row in {table} holds the SHA-256 of the token"


def verification_mail(running: RunningStarter, mailbox: MailBox, account: Account) -> Mail:
    mail = mailbox.one_for(account.email, VERIFY_SUBJECT)
    assert mail.link_with_token().startswith(f"{site_url(running)}/verify-email?token="), mail.text
    return mail


def reset_token(api: ContractClient, mailbox: MailBox, account: Account) -> str:
    response = api.request_reset(account.email)
    assert response.status_code == 202, response.text
    return mailbox.one_for(account.email, RESET_SUBJECT).token()


def reset_mails(mailbox: MailBox, address: str) -> list[Mail]:
    return mailbox.to(address, RESET_SUBJECT)


# --- Refresh tokens ------------------------------------------------------------------------------


def test_the_token_answer_carries_a_refresh_token(api: ContractClient) -> None:
    account = api.register()
    body = api.login(account.username, account.password).json()
    assert isinstance(body.get("refresh_token"), str), body
    assert len(body["refresh_token"]) >= 32, body
    assert body["refresh_token"] != body["access_token"]


def test_refresh_rotates_the_pair(api: ContractClient) -> None:
    account = api.register()
    first = api.pair(account)
    response = api.refresh(first.refresh)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["token_type"] == "bearer", body
    assert isinstance(body["expires_in"], int), body
    assert body["refresh_token"] != first.refresh
    assert api.me(body["access_token"]).json()["username"] == account.username
    assert api.refresh(body["refresh_token"]).status_code == 200


def test_reusing_a_rotated_refresh_token_revokes_the_whole_family(api: ContractClient) -> None:
    account = api.register()
    stolen = api.pair(account)
    rotated = api.refresh(stolen.refresh).json()["refresh_token"]
    other_login = api.pair(account)
    assert_401(api.refresh(stolen.refresh))
    assert_401(api.refresh(rotated))
    assert_401(api.refresh(other_login.refresh))


def test_simultaneous_refreshes_with_one_token_give_at_most_one_pair(api: ContractClient) -> None:
    account = api.register()
    pair = api.pair(account)

    def refresh(http: httpx.Client, _index: int) -> int:
        return http.post("/api/auth/refresh", json={"refresh_token": pair.refresh}).status_code

    statuses = at_once(api.base_url, 10, refresh)
    assert set(statuses) <= {200, 401}, statuses
    assert statuses.count(200) <= 1, statuses


@pytest.mark.parametrize(
    "token", ["", "not-a-token", secrets.token_urlsafe(32), "x" * 5000], ids=str.__len__
)
def test_a_malformed_or_unknown_refresh_token_is_401(api: ContractClient, token: str) -> None:
    assert_401(api.refresh(token))


def test_an_access_token_is_no_refresh_token(api: ContractClient) -> None:
    pair = api.pair(api.register())
    assert_401(api.refresh(pair.access))


def test_an_expired_refresh_token_is_401(running: RunningStarter, api: ContractClient) -> None:
    pair = api.pair(api.register())
    expire(running, "refresh_tokens", pair.refresh)
    assert_401(api.refresh(pair.refresh))


# --- Logout --------------------------------------------------------------------------------------


def test_logout_ends_the_access_token_on_every_worker_and_the_refresh_token(
    api: ContractClient,
) -> None:
    account = api.register()
    pair = api.pair(account)
    assert api.me(pair.access).status_code == 200
    response = api.logout(pair)
    assert response.status_code == 204, response.text
    assert response.content == b""
    for _ in range(8):  # each on a new connection, so both workers answer some
        with httpx.Client(base_url=api.base_url, timeout=15) as fresh:
            assert_401(fresh.get("/api/users/me", headers=pair.headers))
    assert_401(api.refresh(pair.refresh))
    assert api.me(api.pair(account).access).status_code == 200


def test_logout_needs_the_bearer_token(api: ContractClient) -> None:
    pair = api.pair(api.register())
    response = api.http.post("/api/auth/logout", json={"refresh_token": pair.refresh})
    assert_401(response)
    assert api.refresh(pair.refresh).status_code == 200


# --- Password change -----------------------------------------------------------------------------


def test_changing_the_password_revokes_the_refresh_tokens(api: ContractClient) -> None:
    account = api.register()
    pair, other = api.pair(account), api.pair(account)
    response = api.change_password(pair.access, PASSWORD, NEW_PASSWORD)
    assert response.status_code == 204, response.text
    assert_401(api.refresh(pair.refresh))
    assert_401(api.refresh(other.refresh))
    assert api.login(account.username, PASSWORD).status_code == 401
    assert api.login(account.username, NEW_PASSWORD).status_code == 200


def test_a_wrong_current_password_is_400(api: ContractClient) -> None:
    account = api.register()
    pair = api.pair(account)
    assert_400(api.change_password(pair.access, "not-the-password", NEW_PASSWORD))
    assert api.login(account.username, PASSWORD).status_code == 200


@pytest.mark.parametrize("weak", ["short", "same-as-username"])
def test_a_weak_new_password_is_422(api: ContractClient, weak: str) -> None:
    account = api.register()
    new = account.username if weak == "same-as-username" else "short"
    response = api.change_password(api.pair(account).access, PASSWORD, new)
    assert_validation_error(response, "new_password", "body")
    assert api.login(account.username, PASSWORD).status_code == 200


def test_changing_the_password_needs_the_bearer_token(api: ContractClient) -> None:
    body = {"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    assert_401(api.http.post("/api/auth/password", json=body))


# --- Password reset ------------------------------------------------------------------------------


def test_password_reset_answers_alike_for_known_and_unknown_addresses(
    running: RunningStarter, api: ContractClient, mailbox: MailBox
) -> None:
    account = api.register()
    unknown = f"{unique('nobody')}@example.com"
    known_answer, unknown_answer = api.request_reset(account.email), api.request_reset(unknown)
    assert (known_answer.status_code, unknown_answer.status_code) == (202, 202)
    assert known_answer.json() == unknown_answer.json() == RESET_SENT
    mail = mailbox.one_for(account.email, RESET_SUBJECT)
    assert mail.link_with_token().startswith(f"{site_url(running)}/reset-password?token=")
    assert mail.html.strip(), "the reset mail has no HTML body"
    assert mail.recipients == (account.email.lower(),)
    assert "noreply@blog.example" in mail.sender, mail.sender
    mailbox.none_for(unknown)
    assert len(reset_mails(mailbox, account.email)) == 1


def test_the_reset_link_ignores_a_forged_host(
    running: RunningStarter, api: ContractClient, mailbox: MailBox
) -> None:
    account = api.register()
    port = urlsplit(api.base_url).port
    forged = {"Host": f"localhost:{port}", "X-Forwarded-Host": "evil.example"}
    assert api.request_reset(account.email, headers=forged).status_code == 202
    mail = mailbox.one_for(account.email, RESET_SUBJECT)
    assert mail.link_with_token().startswith(f"{site_url(running)}/reset-password?token=")
    assert "localhost" not in mail.text
    assert "evil.example" not in mail.text + mail.html


def test_a_reset_token_sets_the_password_once(api: ContractClient, mailbox: MailBox) -> None:
    account = api.register()
    pair = api.pair(account)
    token = reset_token(api, mailbox, account)
    response = api.confirm_reset(token, NEW_PASSWORD)
    assert response.status_code == 204, response.text
    assert api.login(account.username, PASSWORD).status_code == 401
    assert api.login(account.username, NEW_PASSWORD).status_code == 200
    assert_401(api.refresh(pair.refresh))
    assert_400(api.confirm_reset(token, "yet-another-passphrase"))
    assert api.login(account.username, NEW_PASSWORD).status_code == 200


@pytest.mark.parametrize(
    "token", ["not-a-token", secrets.token_urlsafe(32)], ids=["malformed", "unknown"]
)
def test_a_bad_reset_token_is_400(api: ContractClient, token: str) -> None:
    assert_400(api.confirm_reset(token, NEW_PASSWORD))


def test_a_weak_reset_password_is_422(api: ContractClient, mailbox: MailBox) -> None:
    account = api.register()
    token = reset_token(api, mailbox, account)
    assert_validation_error(api.confirm_reset(token, "short"), "password", "body")
    assert api.login(account.username, PASSWORD).status_code == 200


def test_an_expired_reset_token_is_400(
    running: RunningStarter, api: ContractClient, mailbox: MailBox
) -> None:
    account = api.register()
    token = reset_token(api, mailbox, account)
    expire(running, "account_tokens", token)
    assert_400(api.confirm_reset(token, NEW_PASSWORD))
    assert api.login(account.username, PASSWORD).status_code == 200


def test_a_reset_token_dies_when_the_password_changes(
    api: ContractClient, mailbox: MailBox
) -> None:
    account = api.register()
    token = reset_token(api, mailbox, account)
    changed = api.change_password(api.pair(account).access, PASSWORD, NEW_PASSWORD)
    assert changed.status_code == 204, changed.text
    assert_400(api.confirm_reset(token, "yet-another-passphrase"))
    assert api.login(account.username, NEW_PASSWORD).status_code == 200


def test_password_reset_is_throttled_per_address(api: ContractClient) -> None:
    address = f"{unique('flood')}@example.com"
    statuses = [api.request_reset(address).status_code for _ in range(THROTTLE_LIMIT)]
    assert statuses == [202] * THROTTLE_LIMIT, statuses
    throttled = api.request_reset(address)
    assert throttled.status_code == 429, throttled.text
    assert int(throttled.headers["retry-after"]) > 0
    assert_error_body(throttled)
    assert api.request_reset(f"{unique('other')}@example.com").status_code == 202


def test_thirty_simultaneous_reset_requests_send_at_most_five_mails(
    api: ContractClient, mailbox: MailBox
) -> None:
    account = api.register()

    def request_reset(http: httpx.Client, _index: int) -> httpx.Response:
        return http.post("/api/auth/password-reset", json={"email": account.email})

    responses = at_once(api.base_url, 30, request_reset)
    statuses = [response.status_code for response in responses]
    assert set(statuses) <= {202, 429}, statuses
    assert statuses.count(202) <= THROTTLE_LIMIT, statuses
    assert all(r.headers.get("retry-after") for r in responses if r.status_code == 429)
    time.sleep(3)  # whatever was sent has arrived
    assert 1 <= len(reset_mails(mailbox, account.email)) <= THROTTLE_LIMIT


def timed_reset(api: ContractClient, address: str) -> float:
    started = time.perf_counter()
    response = api.request_reset(address)
    elapsed = time.perf_counter() - started
    assert response.status_code == 202, response.text
    return elapsed


def test_a_slow_mail_server_does_not_slow_the_reset_answer(
    api: ContractClient, mailbox: MailBox
) -> None:
    known = [api.register() for _ in range(3)]
    for account in known:
        mailbox.slow_down(account.email, SLOW_SMTP_SECONDS)
    unknown = [f"{unique('nobody')}@example.com" for _ in range(3)]
    known_median = statistics.median(timed_reset(api, a.email) for a in known)
    unknown_median = statistics.median(timed_reset(api, address) for address in unknown)
    # Sent on the request path, each known answer would wait out the slow SMTP exchange.
    assert known_median < unknown_median + SLOW_SMTP_SECONDS * 0.75, (known_median, unknown_median)
    for account in known:  # the mail still goes out, later
        mailbox.one_for(account.email, RESET_SUBJECT, timeout=10)


# --- Email verification --------------------------------------------------------------------------


def test_registration_mails_a_verification_link(
    running: RunningStarter, api: ContractClient, mailbox: MailBox
) -> None:
    account = api.register()
    mail = verification_mail(running, mailbox, account)
    assert mail.html.strip(), "the verification mail has no HTML body"
    assert "noreply@blog.example" in mail.sender, mail.sender


def test_the_user_object_says_whether_the_email_is_verified(
    running: RunningStarter, api: ContractClient, mailbox: MailBox
) -> None:
    account = api.register()
    assert api.me(account.token).json()["email_verified"] is False
    token = verification_mail(running, mailbox, account).token()
    response = api.verify_email(token)
    assert response.status_code == 204, response.text
    assert api.me(account.token).json()["email_verified"] is True
    assert_400(api.verify_email(token))


def test_registration_answers_email_verified_false(api: ContractClient) -> None:
    username = unique()
    body = {"username": username, "email": f"{username}@example.com", "password": PASSWORD}
    response = api.http.post("/api/auth/register", json=body)
    assert response.status_code == 201, response.text
    assert response.json()["email_verified"] is False


@pytest.mark.parametrize(
    "token", ["not-a-token", secrets.token_urlsafe(32)], ids=["malformed", "unknown"]
)
def test_a_bad_verification_token_is_400(api: ContractClient, token: str) -> None:
    assert_400(api.verify_email(token))


def test_a_reset_token_does_not_verify_the_email(api: ContractClient, mailbox: MailBox) -> None:
    account = api.register()
    assert_400(api.verify_email(reset_token(api, mailbox, account)))
    assert api.me(account.token).json()["email_verified"] is False


def test_resend_mails_a_new_verification_link(
    running: RunningStarter, api: ContractClient, mailbox: MailBox
) -> None:
    account = api.register()
    verification_mail(running, mailbox, account)
    response = api.resend_verification(account.token)
    assert response.status_code == 202, response.text
    assert response.json() == VERIFICATION_SENT
    _, second = mailbox.wait_for(account.email, count=2, subject=VERIFY_SUBJECT)
    assert api.verify_email(second.token()).status_code == 204
    assert api.me(account.token).json()["email_verified"] is True


def test_resend_for_a_verified_address_sends_nothing(
    running: RunningStarter, api: ContractClient, mailbox: MailBox
) -> None:
    account = api.register()
    assert api.verify_email(verification_mail(running, mailbox, account).token()).status_code == 204
    response = api.resend_verification(account.token)
    assert response.status_code == 202, response.text
    assert response.json() == VERIFICATION_SENT
    time.sleep(1)
    assert len(mailbox.to(account.email)) == 1


def test_resend_needs_the_bearer_token(api: ContractClient) -> None:
    assert_401(api.http.post("/api/auth/verify-email/resend"))


def test_resend_is_throttled_per_user(api: ContractClient) -> None:
    account = api.register()
    statuses = [api.resend_verification(account.token).status_code for _ in range(6)]
    # The registration mail may count as the first of the five.
    assert statuses[:4] == [202] * 4, statuses
    assert statuses[-1] == 429, statuses
    throttled = api.resend_verification(account.token)
    assert throttled.status_code == 429
    assert int(throttled.headers["retry-after"]) > 0
    assert api.resend_verification(api.register().token).status_code == 202


# --- API documentation ---------------------------------------------------------------------------

TAGS = {"health", "auth", "users", "articles"}
LIFECYCLE_PATHS = (
    "/api/auth/refresh",
    "/api/auth/logout",
    "/api/auth/password",
    "/api/auth/password-reset",
    "/api/auth/password-reset/confirm",
    "/api/auth/verify-email",
    "/api/auth/verify-email/resend",
)
METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture(scope="module")
def schema(api: ContractClient) -> dict[str, Any]:
    response = api.http.get("/api/openapi.json")
    assert response.status_code == 200, response.text[:300]
    document: dict[str, Any] = response.json()
    return document


def operations(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    ]


def test_the_docs_describe_every_lifecycle_path_under_auth(schema: dict[str, Any]) -> None:
    paths = {path.rstrip("/"): item for path, item in schema["paths"].items()}
    for path in LIFECYCLE_PATHS:
        assert path in paths, sorted(paths)
        assert paths[path]["post"].get("tags") == ["auth"], (path, paths[path]["post"].get("tags"))


def test_every_operation_has_one_of_the_shared_tags_and_a_summary(schema: dict[str, Any]) -> None:
    used: set[str] = set()
    for path, method, operation in operations(schema):
        tags = operation.get("tags") or []
        assert len(tags) == 1, (method, path, tags)
        assert tags[0] in TAGS, (method, path, tags)
        assert str(operation.get("summary", "")).strip(), f"{method} {path} has no summary"
        used.update(tags)
    assert used == TAGS, used


def test_the_docs_tag_each_area_as_agreed(schema: dict[str, Any]) -> None:
    expected = {
        "/api/health": "health",
        "/api/auth/token": "auth",
        "/api/auth/register": "auth",
        "/api/users/me": "users",
        "/api/articles": "articles",
    }
    paths = {path.rstrip("/"): item for path, item in schema["paths"].items()}
    for path, tag in expected.items():
        tags = {
            t for op in paths[path].values() if isinstance(op, dict) for t in op.get("tags", [])
        }
        assert tags == {tag}, (path, tags)


def test_the_docs_carry_the_package_version(
    running: RunningStarter, schema: dict[str, Any]
) -> None:
    pyproject = tomllib.loads((running.starter.project_dir / "pyproject.toml").read_text())
    assert schema["info"].get("version") == pyproject["project"]["version"], schema["info"]


def test_a_bearer_is_needed_where_the_docs_say(schema: dict[str, Any]) -> None:
    paths = {path.rstrip("/"): item for path, item in schema["paths"].items()}
    for path in ("/api/auth/logout", "/api/auth/password", "/api/auth/verify-email/resend"):
        operation = paths[path]["post"]
        security = operation.get("security", schema.get("security"))
        assert security, f"{path} does not say it needs a bearer token"
