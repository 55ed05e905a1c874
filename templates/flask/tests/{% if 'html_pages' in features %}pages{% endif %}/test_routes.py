from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

from tests.factories import DEFAULT_PASSWORD, UserData, create_article


def _sign_in(client: FlaskClient, username: str, password: str = DEFAULT_PASSWORD) -> int:
    return client.post("/login", data={"username": username, "password": password}).status_code


def test_the_home_page_lists_published_articles(
    client: FlaskClient, app: Flask, ada: UserData
) -> None:
    create_article(app, ada, title="Out in the open")
    create_article(app, ada, title="Secret draft", published=False)
    page = client.get("/").get_data(as_text=True)
    assert "Out in the open" in page
    assert "Secret draft" not in page
    assert client.get("/articles/secret-draft").status_code == 404


def test_pages_link_older_and_newer(client: FlaskClient, app: Flask, ada: UserData) -> None:
    for number in range(12):
        create_article(app, ada, title=f"Post {number}")
    assert "Older" in client.get("/").get_data(as_text=True)
    second = client.get("/?page=2").get_data(as_text=True)
    assert "Newer" in second
    assert "Post 0" in second


def test_sign_in_write_and_sign_out(client: FlaskClient, ada: UserData) -> None:
    assert client.get("/write").status_code == 302
    assert _sign_in(client, "ada") == 302
    home = client.get("/").get_data(as_text=True)
    assert "Sign out" in home
    response = client.post("/write", data={"title": "From the browser", "content": "Hi"})
    assert response.headers["Location"] == "/articles/from-the-browser"
    draft = client.get("/articles/from-the-browser").get_data(as_text=True)
    assert "(draft)" in draft
    client.post("/logout")
    assert client.get("/articles/from-the-browser").status_code == 404


def test_a_wrong_password_shows_an_error(client: FlaskClient, ada: UserData) -> None:
    page = client.post("/login", data={"username": "ada", "password": "nope-nope"})
    assert page.status_code == 200
    assert "Incorrect username or password" in page.get_data(as_text=True)


def test_the_write_form_shows_validation_errors(client: FlaskClient, ada: UserData) -> None:
    _sign_in(client, "ada")
    page = client.post("/write", data={"title": "", "content": "x"})
    assert page.status_code == 200
    assert "This field is required" in page.get_data(as_text=True)


def test_forms_require_the_csrf_token(client: FlaskClient, app: Flask, ada: UserData) -> None:
    app.config["WTF_CSRF_ENABLED"] = True
    page = client.post("/login", data={"username": "ada", "password": DEFAULT_PASSWORD})
    assert page.status_code == 400
    assert "Sign out" not in client.get("/").get_data(as_text=True)
    token = _csrf_token(client.get("/login").get_data(as_text=True))
    signed_in = client.post(
        "/login", data={"username": "ada", "password": DEFAULT_PASSWORD, "csrf_token": token}
    )
    assert signed_in.status_code == 302


def test_the_api_needs_no_csrf_token(client: FlaskClient, app: Flask, ada: UserData) -> None:
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post("/api/auth/token", data={"username": "ada", "password": "wrong-one"})
    assert response.status_code == 401


def _csrf_token(page: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert match is not None, page
    return match.group(1)


def test_sign_in_is_throttled_with_429(client: FlaskClient, ada: UserData) -> None:
    for _ in range(5):
        assert _sign_in(client, "ada", "wrong-password") == 200
    page = client.post("/login", data={"username": "ada", "password": DEFAULT_PASSWORD})
    assert page.status_code == 429
    assert int(page.headers["Retry-After"]) > 0
    assert "Too many failed attempts" in page.get_data(as_text=True)


def test_nul_characters_in_forms_and_queries_are_422(client: FlaskClient) -> None:
    assert client.post("/login", data={"username": "a\x00b", "password": "x"}).status_code == 422
    assert client.get("/?page=%00").status_code == 422
