"""Hardening rules (CONTRACT.md v2): hostile input, races, spoofed headers, forms, a sick database.

Everything is black-box against the production server (2 workers, Redis):
concurrency is real threads on separate connections, the frozen database is
a PostgreSQL cluster of the test's own whose processes are stopped.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import socket
import subprocess
import time
from collections.abc import Iterator, Mapping
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
    assert_no_leak,
    at_once,
    unique,
)
from tests.contract.faults import HeaderTricklers, PrivatePostgres, private_postgres, timed
from tests.contract.forms import FORMS, Browser, create_staff
from tests.contract.servers import (
    RunningStarter,
    Starter,
    migrated_server,
    migrated_server_on,
    serve,
    server_env,
)
from tests.starters import commands
from tests.support import free_port, run

pytestmark = pytest.mark.slow

TWO_MIB = 2 * 1024 * 1024
SECURITY_HEADERS = {"x-content-type-options": "nosniff", "x-frame-options": "DENY"}
THROTTLE_LIMIT = 5


def post_json_text(
    api: ContractClient, path: str, text: str, account: Account | None = None
) -> httpx.Response:
    """POST JSON text as written: escapes such as a lone surrogate reach the server unparsed."""
    headers = {"Content-Type": "application/json", **(account.headers if account else {})}
    response = api.http.post(path, content=text.encode("utf-8", "surrogatepass"), headers=headers)
    assert_no_leak(response, api.secret_key)
    return response


def assert_422(response: httpx.Response) -> None:
    assert response.status_code == 422, (response.status_code, response.text[:300])
    detail = assert_error_body(response)
    assert isinstance(detail, list), detail
    assert all({"loc", "msg", "type"} <= set(item) for item in detail), detail


# --- Hostile JSON --------------------------------------------------------------------------------


def with_raw(fields: Mapping[str, object], **raw: str) -> str:
    """JSON text of `fields` plus members written as raw JSON text (escapes kept as they are)."""
    members = [json.dumps(fields)[1:-1], *(f'"{name}": {text}' for name, text in raw.items())]
    return "{" + ", ".join(member for member in members if member) + "}"


def article_text(**raw: str) -> str:
    return with_raw({"title": unique("Hostile "), "content": "Body."}, **raw)


def register_text(**raw: str) -> str:
    name = unique()
    fields = {"username": name, "email": f"{name}@example.com", "password": PASSWORD}
    return with_raw(fields, **raw)


@pytest.mark.parametrize("depth", [65, 100_000])
def test_json_nested_deeper_than_64_is_422(
    api: ContractClient, author: Account, depth: int
) -> None:
    nested = "[" * depth + "]" * depth
    assert_422(post_json_text(api, "/api/articles", article_text(extra=nested), author))
    assert_422(post_json_text(api, "/api/auth/register", register_text(extra=nested)))


def test_json_nested_64_deep_is_parsed(api: ContractClient, author: Account) -> None:
    """The limit is on depth, not on nesting as such: the object itself is level 1."""
    nested = "[" * 63 + "]" * 63
    response = post_json_text(api, "/api/articles", article_text(extra=nested), author)
    assert response.status_code == 201, response.text[:300]


@pytest.mark.parametrize("field", ["published", "extra"])
def test_an_integer_over_4300_digits_is_422(
    api: ContractClient, author: Account, field: str
) -> None:
    huge = "9" * 5000
    assert_422(post_json_text(api, "/api/articles", article_text(**{field: huge}), author))
    assert_422(post_json_text(api, "/api/auth/register", register_text(extra=huge)))


@pytest.mark.parametrize("bad", ["\\ud800", "a\\udfffb", "\\u0000", "a\\u0000b"])
def test_lone_surrogates_and_nul_in_text_are_422(
    api: ContractClient, author: Account, bad: str
) -> None:
    for body in (
        with_raw({"content": "Body."}, title=f'"{bad}"'),
        with_raw({"title": unique("T ")}, content=f'"x{bad}"'),
    ):
        assert_422(post_json_text(api, "/api/articles", body, author))
    name = unique()
    register = with_raw(
        {"email": f"{name}@example.com", "password": PASSWORD}, username=f'"{name}{bad}"'
    )
    assert_422(post_json_text(api, "/api/auth/register", register))
    article = api.create_article(author)
    patch = api.http.patch(
        f"/api/articles/{article['slug']}",
        content=with_raw({}, content=f'"{bad}"').encode(),
        headers={**author.headers, "Content-Type": "application/json"},
    )
    assert_422(patch)


def test_a_surrogate_pair_is_ordinary_text(api: ContractClient, author: Account) -> None:
    title = unique("Smile ")
    body = with_raw({"content": "Body."}, title=f'"{title} \\ud83d\\ude00"')
    response = post_json_text(api, "/api/articles", body, author)
    assert response.status_code == 201, response.text[:300]
    assert response.json()["title"] == f"{title} \N{GRINNING FACE}"


@pytest.mark.parametrize("parameter", ["search", "author"])
def test_nul_in_a_query_string_is_422(api: ContractClient, parameter: str) -> None:
    response = api.http.get(f"/api/articles?{parameter}=a%00b")
    assert_no_leak(response, api.secret_key)
    assert_422(response)


def test_nul_in_a_form_field_is_422(api: ContractClient) -> None:
    response = api.http.post(
        "/api/auth/token",
        content=b"username=a%00b&password=whatever-it-is",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert_no_leak(response, api.secret_key)
    assert_422(response)


@pytest.mark.parametrize("query", ["search=%ED%A0%80", "author=%FF%FE", "search=%C0%AF"])
def test_bytes_that_are_not_utf8_in_a_query_never_fail(api: ContractClient, query: str) -> None:
    response = api.http.get(f"/api/articles?{query}")
    assert_no_leak(response, api.secret_key)
    assert response.status_code in {200, 400, 404, 422}, (response.status_code, response.text)


# --- Bodies without a length ---------------------------------------------------------------------


def chunked(data: bytes, size: int = 64 * 1024) -> Iterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]


@pytest.mark.parametrize("path", ["/api/articles", "/api/auth/register"])
def test_a_chunked_body_over_one_mebibyte_is_413(
    api: ContractClient, author: Account, path: str
) -> None:
    body = json.dumps({"title": "Big", "content": "x" * TWO_MIB, "username": "big"}).encode()
    headers = {**author.headers, "Content-Type": "application/json"}
    response = api.http.post(path, content=chunked(body), headers=headers)
    assert "content-length" not in response.request.headers
    assert response.status_code == 413, (response.status_code, response.text[:300])
    assert_error_body(response)
    assert api.http.get("/api/health").status_code == 200


def test_a_chunked_body_under_the_limit_is_read(api: ContractClient, author: Account) -> None:
    title = unique("Chunked ")
    body = json.dumps({"title": title, "content": "y" * 200_000}).encode()
    headers = {**author.headers, "Content-Type": "application/json"}
    response = api.http.post("/api/articles", content=chunked(body), headers=headers)
    assert response.status_code == 201, (response.status_code, response.text[:300])
    assert response.json()["title"] == title


# --- Races on unique values ----------------------------------------------------------------------


def test_twenty_simultaneous_articles_with_one_title_all_get_a_slug(
    api: ContractClient, author: Account
) -> None:
    title = unique("Race ")

    def create(http: httpx.Client, _: int) -> httpx.Response:
        body = {"title": title, "content": "Same title.", "published": True}
        return http.post("/api/articles", json=body, headers=author.headers)

    responses = at_once(api.base_url, 20, create)
    statuses = [response.status_code for response in responses]
    assert statuses == [201] * 20, [(r.status_code, r.text[:200]) for r in responses]
    slugs = {response.json()["slug"] for response in responses}
    assert len(slugs) == 20, sorted(slugs)
    base = title.lower().replace(" ", "-")
    assert all(slug == base or slug.startswith(f"{base}-") for slug in slugs), sorted(slugs)


def register_at_once(api: ContractClient, bodies: list[dict[str, str]]) -> list[int]:
    def register(http: httpx.Client, index: int) -> int:
        response = http.post("/api/auth/register", json=bodies[index])
        assert_no_leak(response, api.secret_key)
        return response.status_code

    return at_once(api.base_url, len(bodies), register)


def test_simultaneous_registrations_of_one_email_in_any_case_register_one(
    api: ContractClient,
) -> None:
    local = unique("race")
    spellings = [local, local.upper(), local.capitalize(), local.swapcase()[:3] + local[3:]]
    bodies = [
        {
            "username": unique(),
            "email": f"{spellings[i % len(spellings)]}@{'EXAMPLE' if i % 2 else 'example'}.com",
            "password": PASSWORD,
        }
        for i in range(10)
    ]
    statuses = register_at_once(api, bodies)
    assert sorted(statuses) == [201] + [409] * 9, statuses


def test_simultaneous_registrations_of_one_username_register_one(api: ContractClient) -> None:
    username = unique()
    bodies = [
        {"username": username, "email": f"{unique()}@example.com", "password": PASSWORD}
        for _ in range(10)
    ]
    statuses = register_at_once(api, bodies)
    assert sorted(statuses) == [201] + [409] * 9, statuses


# --- Token claims --------------------------------------------------------------------------------


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def resigned(token: str, secret: str, **claims: Any) -> str:
    """The token with some claims replaced, signed again with the server's own key."""
    header, payload, _ = token.split(".")
    padded = payload + "=" * (-len(payload) % 4)
    body = {**json.loads(base64.urlsafe_b64decode(padded)), **claims}
    signing_input = f"{header}.{b64url(json.dumps(body).encode())}"
    signature = hmac.new(secret.encode(), signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64url(signature)}"


def test_a_resigned_token_with_its_own_claims_works(api: ContractClient, author: Account) -> None:
    """The control for the forgeries below: re-signing by itself breaks nothing."""
    token = resigned(author.token, api.secret_key)
    response = api.http.get("/api/users/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.text


@pytest.mark.parametrize(
    "claims",
    [
        {"sub": "1e20"},
        {"sub": "99999999999999999999999"},
        {"sub": 10**30},
        {"sub": [1]},
        {"sub": {"id": 1}},
        {"sub": "-1"},
        {"sub": "0"},
        {"sub": ""},
        {"sub": " 1"},
        {"sub": 1.5},
        {"sub": True},
        {"sub": None},
        {"exp": "tomorrow"},
        {"exp": [1]},
        {"iat": "yesterday"},
        {"exp": 10**400},
    ],
    ids=lambda claims: json.dumps(claims)[:40],
)
def test_signed_claims_of_the_wrong_type_or_range_are_401(
    api: ContractClient, author: Account, claims: dict[str, Any]
) -> None:
    token = resigned(author.token, api.secret_key, **claims)
    response = api.http.get("/api/users/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401, (response.status_code, response.text[:300])
    assert response.headers.get("www-authenticate", "").lower().startswith("bearer")
    assert_error_body(response)


# --- Login throttle ------------------------------------------------------------------------------


def test_thirty_simultaneous_wrong_passwords_check_at_most_five(api: ContractClient) -> None:
    account = api.register()

    def guess(http: httpx.Client, index: int) -> httpx.Response:
        form = {"username": account.username, "password": f"wrong-password-{index}"}
        return http.post("/api/auth/token", data=form)

    responses = at_once(api.base_url, 30, guess)
    statuses = [response.status_code for response in responses]
    assert set(statuses) <= {401, 429}, statuses
    assert statuses.count(401) <= THROTTLE_LIMIT, statuses
    assert all(r.headers.get("retry-after") for r in responses if r.status_code == 429)
    locked = api.http.post(
        "/api/auth/token", data={"username": account.username, "password": PASSWORD}
    )
    assert locked.status_code == 429, locked.text


def test_x_forwarded_for_from_an_untrusted_peer_is_ignored(api: ContractClient) -> None:
    account = api.register()
    for index in range(THROTTLE_LIMIT):
        response = api.http.post(
            "/api/auth/token",
            data={"username": account.username, "password": "wrong-password"},
            headers={"X-Forwarded-For": f"203.0.113.{index + 1}"},
        )
        assert response.status_code == 401, response.text
    fresh = api.http.post(
        "/api/auth/token",
        data={"username": account.username, "password": PASSWORD},
        headers={"X-Forwarded-For": "198.51.100.7"},
    )
    assert fresh.status_code == 429, fresh.text


def test_x_forwarded_proto_from_an_untrusted_peer_is_ignored(
    api: ContractClient, author: Account
) -> None:
    api.create_article(author)
    api.create_article(author)
    response = api.list_articles(headers={"X-Forwarded-Proto": "https"}, page_size="1")
    assert response.status_code == 200, response.text
    assert str(response.json()["next"]).startswith("http://"), response.json()["next"]


def login_forms(running: RunningStarter) -> tuple[str, ...]:
    return FORMS[running.starter.framework].logins


def test_every_html_login_form_is_throttled(running: RunningStarter, api: ContractClient) -> None:
    for path in login_forms(running):
        account = api.register()
        browser = Browser(running.base_url)
        statuses = [
            browser.log_in(path, account.username, f"wrong-password-{i}").status_code
            for i in range(THROTTLE_LIMIT + 1)
        ]
        assert 429 not in statuses[:THROTTLE_LIMIT], (path, statuses)
        assert statuses[THROTTLE_LIMIT] == 429, (path, statuses)
        locked = browser.log_in(path, account.username, PASSWORD)
        assert locked.status_code == 429, (path, locked.status_code)
        assert locked.headers.get("retry-after"), path


# --- CSRF on HTML forms --------------------------------------------------------------------------


def test_login_forms_refuse_a_post_without_its_csrf_token(
    running: RunningStarter, api: ContractClient
) -> None:
    staff_username, staff_password = create_staff(running)
    account = api.register()
    for path in login_forms(running):
        is_admin = path.startswith("/admin")
        username, password = (
            (staff_username, staff_password)
            if is_admin
            else (
                account.username,
                account.password,
            )
        )
        browser = Browser(running.base_url)
        form, target = browser.form(path)
        assert form.csrf_fields(), (path, sorted(form.fields))
        assert form.username_field, (path, sorted(form.fields))
        assert form.password_field, (path, sorted(form.fields))
        fields = {form.username_field: username, form.password_field: password}
        refused = browser.post(target, {**form.without_csrf(), **fields})
        assert refused.status_code in {400, 403}, (path, refused.status_code, refused.text[:300])
        form, target = browser.form(path)
        accepted = browser.post(target, {**form.fields, **fields})
        assert accepted.status_code in {302, 303}, (path, accepted.status_code)


def test_the_admin_edit_form_refuses_a_post_without_its_csrf_token(
    running: RunningStarter, api: ContractClient, author: Account
) -> None:
    forms = FORMS[running.starter.framework]
    article = api.create_article(author)
    username, password = create_staff(running)
    browser = Browser(running.base_url)
    assert browser.log_in(forms.admin_login, username, password).status_code in {302, 303}
    edit_path = forms.admin_article_edit.format(id=article["id"])
    form, target = browser.form(edit_path, field="title")
    assert form.csrf_fields(), sorted(form.fields)

    forged = unique("Forged ")
    refused = browser.post(target, {**form.without_csrf(), "title": forged})
    assert refused.status_code in {400, 403}, (refused.status_code, refused.text[:300])
    assert api.http.get(f"/api/articles/{article['slug']}").json()["title"] == article["title"]

    edited = unique("Edited ")
    form, target = browser.form(edit_path, field="title")
    accepted = browser.post(target, {**form.fields, "title": edited})
    assert accepted.status_code in {302, 303}, (accepted.status_code, accepted.text[:500])
    assert api.http.get(f"/api/articles/{article['slug']}").json()["title"] == edited


# --- Host and the server's own answers -----------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/health", "/api/articles", "/api/nope"])
def test_a_bad_host_is_a_json_400(api: ContractClient, path: str) -> None:
    response = api.http.get(path, headers={"Host": "evil.example"})
    assert response.status_code == 400, (response.status_code, response.text[:300])
    assert_error_body(response)
    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get(name, "").upper() == value.upper(), (name, response.headers)


def raw_exchange(base_url: str, request: bytes) -> tuple[int, dict[str, str]]:
    """Send bytes as they are; return the status and headers of whatever comes back."""
    address = urlsplit(base_url)
    with socket.create_connection((address.hostname, address.port), timeout=10) as connection:
        connection.sendall(request)
        received = b""
        while b"\r\n\r\n" not in received:
            chunk = connection.recv(65536)
            if not chunk:
                break
            received += chunk
    head = received.split(b"\r\n\r\n", 1)[0].decode("latin-1")
    status_line, *header_lines = head.split("\r\n")
    assert status_line.startswith("HTTP/1."), repr(received[:200])
    headers = {}
    for line in header_lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return int(status_line.split()[1]), headers


HOST = b"Host: 127.0.0.1\r\n"
MALFORMED_REQUESTS = {
    "url-10000": b"GET /api/health?" + b"a" * 10_000 + b" HTTP/1.1\r\n" + HOST + b"\r\n",
    "header-20000": b"GET /api/health HTTP/1.1\r\n"
    + HOST
    + b"X-Big: "
    + b"b" * 20_000
    + b"\r\n\r\n",
    "headers-200": b"GET /api/health HTTP/1.1\r\n"
    + HOST
    + b"".join(b"X-H%d: v\r\n" % i for i in range(200))
    + b"\r\n",
    "garbage": b"NOT AN HTTP REQUEST\r\n\r\n",
    "bad-version": b"GET /api/health HTTP/9.9\r\n" + HOST + b"\r\n",
}


@pytest.mark.parametrize("kind", sorted(MALFORMED_REQUESTS))
def test_answers_to_malformed_requests_carry_the_security_headers(
    api: ContractClient, kind: str
) -> None:
    # Servers differ in what they refuse (gunicorn: 414, 431, 400; uvicorn passes long
    # URLs on); whoever answers, the answer carries the headers.
    status, headers = raw_exchange(api.base_url, MALFORMED_REQUESTS[kind])
    for name, value in SECURITY_HEADERS.items():
        assert headers.get(name, "").upper() == value.upper(), (kind, status, headers)
    assert api.http.get("/api/health").status_code == 200


# --- Behind a trusted proxy (TRUSTED_PROXIES) ----------------------------------------------------

ALLOWED_ORIGIN = "https://app.example.com"


@pytest.fixture(scope="module")
def proxied(sqlite_starter: Starter) -> Iterator[RunningStarter]:
    """A production server that believes the proxy on 127.0.0.1."""
    with migrated_server(
        sqlite_starter, TRUSTED_PROXIES="127.0.0.1", CORS_ORIGINS=ALLOWED_ORIGIN
    ) as live:
        yield live


@pytest.fixture(scope="module")
def proxied_api(proxied: RunningStarter) -> Iterator[ContractClient]:
    with httpx.Client(base_url=proxied.base_url, timeout=15) as http:
        yield ContractClient(proxied.base_url, proxied.secret_key, http, "proxied")


def test_a_trusted_proxy_names_the_client(proxied_api: ContractClient) -> None:
    account = proxied_api.register()
    wrong = {"username": account.username, "password": "wrong-password"}
    for _ in range(THROTTLE_LIMIT):
        response = proxied_api.http.post(
            "/api/auth/token", data=wrong, headers={"X-Forwarded-For": "203.0.113.1"}
        )
        assert response.status_code == 401, response.text
    right = {"username": account.username, "password": PASSWORD}
    blocked = proxied_api.http.post(
        "/api/auth/token", data=right, headers={"X-Forwarded-For": "203.0.113.1"}
    )
    assert blocked.status_code == 429, blocked.text
    # A spoofed entry before the proxy's own does not help the blocked client.
    spoofed = proxied_api.http.post(
        "/api/auth/token", data=right, headers={"X-Forwarded-For": "198.51.100.9, 203.0.113.1"}
    )
    assert spoofed.status_code == 429, spoofed.text
    other = proxied_api.http.post(
        "/api/auth/token", data=right, headers={"X-Forwarded-For": "203.0.113.2"}
    )
    assert other.status_code == 200, other.text


def test_a_trusted_proxy_names_the_scheme(proxied_api: ContractClient) -> None:
    account = proxied_api.register()
    proxied_api.create_article(account)
    proxied_api.create_article(account)
    response = proxied_api.list_articles(headers={"X-Forwarded-Proto": "https"}, page_size="1")
    assert str(response.json()["next"]).startswith("https://"), response.json()["next"]
    hsts = response.headers.get("strict-transport-security", "")
    assert "max-age=" in hsts, dict(response.headers)


def test_cors_answers_vary_by_origin(proxied_api: ContractClient) -> None:
    for origin in (ALLOWED_ORIGIN, "https://evil.example"):
        response = proxied_api.http.get("/api/articles", headers={"Origin": origin})
        vary = {part.strip().lower() for part in response.headers.get("vary", "").split(",")}
        assert "origin" in vary, (origin, response.headers.get("vary"))


def test_slow_clients_do_not_stop_the_others(proxied: RunningStarter) -> None:
    address = urlsplit(proxied.base_url)
    assert address.hostname
    assert address.port
    with HeaderTricklers(address.hostname, address.port, 40) as tricklers:
        time.sleep(1.0)
        for _ in range(10):
            elapsed, response = timed(
                lambda: httpx.get(f"{proxied.base_url}/api/health", timeout=10)
            )
            assert response.status_code == 200
            assert elapsed <= 1.0, f"{elapsed:.2f} s with {tricklers.connected} slow clients"
            time.sleep(0.3)


# --- Secret keys ---------------------------------------------------------------------------------


def test_production_without_a_secret_key_refuses_to_start(sqlite_starter: Starter) -> None:
    url = f"sqlite:///{sqlite_starter.project_dir / 'no-secret.sqlite3'}"
    for secret in ("", "changethis"):
        env = server_env(sqlite_starter, url, SECRET_KEY=secret)
        argv = commands(sqlite_starter.framework).serve(free_port(), 1)
        result = run_expecting_failure(argv, sqlite_starter, env)
        assert "SECRET_KEY" in result, result
        assert "Traceback" not in result, result


def run_expecting_failure(argv: list[str], starter: Starter, env: dict[str, str]) -> str:
    try:
        result = subprocess.run(
            argv, cwd=starter.project_dir, env=env, capture_output=True, text=True, timeout=60
        )
    except subprocess.TimeoutExpired as error:
        raise AssertionError(f"{argv} kept running without a usable SECRET_KEY") from error
    assert result.returncode != 0, result.stdout[-2000:] + result.stderr[-2000:]
    return result.stdout + result.stderr


def test_development_without_a_secret_key_signs_with_a_key_of_its_own(
    sqlite_starter: Starter,
) -> None:
    url = f"sqlite:///{sqlite_starter.project_dir / 'dev-secret.sqlite3'}"
    env = server_env(sqlite_starter, url, ENVIRONMENT="local")
    del env["SECRET_KEY"]
    run(commands(sqlite_starter.framework).migrate, cwd=sqlite_starter.project_dir, env=env)
    with serve(sqlite_starter, env, workers=1) as first:
        with httpx.Client(base_url=first.base_url, timeout=15) as http:
            api = ContractClient(first.base_url, "", http, "dev")
            account = api.register()
            me = http.get("/api/users/me", headers=account.headers)
            assert me.status_code == 200, me.text
        assert "secret_key" in first.output().lower(), first.output()
    with serve(sqlite_starter, env, workers=1) as second:
        response = httpx.get(f"{second.base_url}/api/users/me", headers=account.headers, timeout=15)
        assert response.status_code == 401, "a restarted server accepted the old key's token"


# --- A frozen database ---------------------------------------------------------------------------

DB_TIMEOUT_SECONDS = 2.0
READY_LIMIT = 2.0
SLACK = 0.5


@pytest.fixture(scope="module")
def frozen_database_server(
    postgresql_starter: Starter,
) -> Iterator[tuple[RunningStarter, PrivatePostgres]]:
    with private_postgres() as cluster:
        with psycopg.connect(cluster.url(), autocommit=True) as admin:
            admin.execute("CREATE DATABASE service")
        with migrated_server_on(
            postgresql_starter, cluster.url("service"), DB_TIMEOUT_SECONDS=str(DB_TIMEOUT_SECONDS)
        ) as live:
            yield live, cluster


FROZEN_CALLS: list[tuple[str, str, float]] = [
    ("GET", "/api/health/ready", READY_LIMIT),
    ("GET", "/api/health/ready", READY_LIMIT),
    ("GET", "/api/articles", DB_TIMEOUT_SECONDS + 1),
    ("GET", "/api/articles", DB_TIMEOUT_SECONDS + 1),
    ("GET", "/api/articles", DB_TIMEOUT_SECONDS + 1),
    ("GET", "/api/users/me", DB_TIMEOUT_SECONDS + 1),
    ("POST", "/api/auth/token", DB_TIMEOUT_SECONDS + 1),
    ("GET", "/api/health", 1.0),
]


def call_while_frozen(
    http: httpx.Client, account: Account, method: str, path: str
) -> tuple[float, httpx.Response | None]:
    """Seconds the answer took, and the answer (None: still none after 15 s)."""
    form = {"username": account.username, "password": PASSWORD}
    started = time.monotonic()
    try:
        response = http.request(
            method,
            path,
            headers=account.headers,
            data=form if method == "POST" else None,
            timeout=15,
        )
    except httpx.TimeoutException:
        return time.monotonic() - started, None
    return time.monotonic() - started, response


def assert_answered_in_time(
    call: tuple[str, str, float], elapsed: float, response: httpx.Response | None
) -> None:
    method, path, limit = call
    status = response.status_code if response is not None else "no answer"
    where = f"{method} {path}: {status} in {elapsed:.2f} s (limit {limit} s)"
    assert response is not None, where
    assert elapsed <= limit + SLACK, where
    if path == "/api/health":
        assert response.status_code == 200, where
        return
    if path == "/api/health/ready":
        assert response.status_code == 503, where
        assert response.json() == {"status": "unavailable", "database": "error"}, where
        return
    assert response.status_code in {500, 503}, where
    assert_error_body(response)


def wait_for_recovery(base_url: str, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    statuses: list[int] = []
    while time.monotonic() < deadline:
        with httpx.Client(base_url=base_url, timeout=15) as http:
            statuses = [http.get("/api/articles").status_code for _ in range(8)]
            statuses.append(http.get("/api/health/ready").status_code)
        if statuses == [200] * 9:
            return
        time.sleep(0.5)
    pytest.fail(f"no recovery {seconds} s after the database thawed: {statuses}")


def test_a_frozen_database_is_answered_within_the_timeout(
    frozen_database_server: tuple[RunningStarter, PrivatePostgres],
) -> None:
    running, cluster = frozen_database_server
    with httpx.Client(base_url=running.base_url, timeout=15) as http:
        api = ContractClient(running.base_url, running.secret_key, http, "frozen")
        account = api.register()
        api.create_article(account)
        for _ in range(20):  # every worker thread holds a pooled connection now
            assert http.get("/api/articles").status_code == 200

    def call(http: httpx.Client, index: int) -> tuple[float, httpx.Response | None]:
        method, path, _ = FROZEN_CALLS[index]
        return call_while_frozen(http, account, method, path)

    with cluster.frozen():
        for _ in range(2):  # the second round meets whatever the first one left stuck
            results = at_once(running.base_url, len(FROZEN_CALLS), call)
            for expected, (elapsed, response) in zip(FROZEN_CALLS, results, strict=True):
                assert_answered_in_time(expected, elapsed, response)
    wait_for_recovery(running.base_url)
