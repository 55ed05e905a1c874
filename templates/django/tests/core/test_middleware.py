from __future__ import annotations

import socket
import struct
from collections.abc import Iterator
from typing import Any, BinaryIO

import pytest
from django.test import override_settings
from rest_framework.test import APIClient

from tests.factories import make_article

pytestmark = pytest.mark.django_db

ONE_MIB = 1024 * 1024


@pytest.mark.parametrize(
    ("method", "path", "content_type"),
    [
        ("post", "/api/articles", "application/json"),
        ("post", "/api/auth/register", "application/json"),
        ("patch", "/api/articles/{slug}", "application/json"),
        ("patch", "/api/articles/{slug}", "application/json; charset=utf-8"),
        ("patch", "/api/articles/{slug}", "application/merge-patch+json"),
        ("put", "/api/articles/{slug}", "application/json"),
    ],
)
def test_an_empty_json_body_is_malformed(
    auth_client: APIClient, user: Any, method: str, path: str, content_type: str
) -> None:
    article = make_article(author=user, title="Kept")
    url = path.format(slug=article.slug)
    response = getattr(auth_client, method)(url, data=b"", content_type=content_type)
    assert response.status_code == 400
    assert response.json() == {"detail": "Malformed request body"}
    article.refresh_from_db()
    assert article.title == "Kept"


def test_requests_that_carry_no_body_by_nature_are_not_refused(
    auth_client: APIClient, user: Any
) -> None:
    article = make_article(author=user)
    url = f"/api/articles/{article.slug}"
    assert auth_client.get(url, content_type="application/json").status_code == 200
    assert auth_client.delete(url, content_type="application/json").status_code == 204


def test_an_empty_form_is_left_to_the_view(client: APIClient) -> None:
    response = client.post(
        "/api/auth/token", data=b"", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 422


def test_an_oversized_body_is_read_to_its_end_before_the_413(auth_client: APIClient) -> None:
    # gunicorn keeps the connection for the next request only once the body has been read.
    body = b'{"title": "Big", "content": "' + b"x" * ONE_MIB + b'"}'
    response = auth_client.post("/api/articles", data=body, content_type="application/json")
    assert response.status_code == 413
    assert response.wsgi_request.read(1) == b""


def test_a_body_that_an_early_answer_left_unread_is_read_to_its_end(client: APIClient) -> None:
    body = b'{"title": "Anonymous", "content": "' + b"x" * 200_000 + b'"}'
    response = client.post("/api/articles", data=body, content_type="application/json")
    assert response.status_code == 401
    assert response.wsgi_request.read(1) == b""


@override_settings(REQUEST_BODY_DRAIN_MAX_SIZE=ONE_MIB)
def test_a_body_over_the_drain_limit_is_not_read(auth_client: APIClient) -> None:
    # Reading it would cost more than a new connection: gunicorn.conf.py closes this one.
    body = b"x" * (ONE_MIB + 1)
    response = auth_client.post("/api/articles", data=body, content_type="application/json")
    assert response.status_code == 413
    assert response.wsgi_request.read(1) == b"x"


@pytest.fixture
def reset_stream() -> Iterator[BinaryIO]:
    """The server's end of a TCP connection that the client reset in the middle of its body."""
    with socket.create_server(("127.0.0.1", 0)) as listener:
        sender = socket.create_connection(listener.getsockname())
        receiver, _ = listener.accept()
        sender.sendall(b'{"title": "cut short')
        # Linger 0: closing sends a reset instead of an orderly end of stream.
        sender.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sender.close()
        with receiver, receiver.makefile("rb") as stream:
            yield stream


def test_a_client_that_resets_the_connection_still_gets_its_413(
    client: APIClient, reset_stream: BinaryIO
) -> None:
    stream: dict[str, Any] = {"wsgi.input": reset_stream, "CONTENT_LENGTH": str(ONE_MIB + 1)}
    response = client.post("/api/articles", content_type="application/json", **stream)
    assert response.status_code == 413
