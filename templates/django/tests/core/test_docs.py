from __future__ import annotations

import re
import tomllib
from typing import Any

import pytest
from django.conf import settings
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def test_openapi_document_describes_the_api(client: APIClient) -> None:
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    assert {
        "/api/health",
        "/api/health/ready",
        "/api/auth/register",
        "/api/auth/token",
        "/api/users/me",
        "/api/articles",
        "/api/articles/{slug}",
    } <= set(document["paths"])
    assert {"/api/auth/refresh", "/api/auth/password-reset/confirm"} <= set(document["paths"])
    schemes = document["components"]["securitySchemes"]
    flow = next(iter(schemes.values()))["flows"]["password"]
    assert flow["tokenUrl"] == "/api/auth/token"


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
    ]


def test_every_operation_has_a_summary_and_one_of_the_shared_tags(client: APIClient) -> None:
    document = client.get("/api/openapi.json").json()
    found = operations(document)
    assert found
    assert [path for path, _, operation in found if not operation.get("summary")] == []
    tags = {(path, method): operation["tags"] for path, method, operation in found}
    assert {tag for listed in tags.values() for tag in listed} <= {
        "health",
        "auth",
        "users",
        "articles",
    }
    assert tags[("/api/auth/password-reset", "post")] == ["auth"]
    assert tags[("/api/users/me", "get")] == ["users"]


def test_the_documented_version_is_the_project_version(client: APIClient) -> None:
    pyproject = tomllib.loads((settings.BASE_DIR / "pyproject.toml").read_text())
    document = client.get("/api/openapi.json").json()
    assert document["info"]["version"] == pyproject["project"]["version"]


@pytest.mark.parametrize("path", ["/api/docs", "/api/redoc"])
def test_docs_pages_load_only_local_assets(client: APIClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets
    assert all(asset.startswith("/static/") for asset in assets), assets
    assert "http://" not in html
    assert "https://" not in html
    for asset in assets:
        served = client.get(asset)
        assert served.status_code == 200, asset
        assert served["X-Frame-Options"] == "DENY"
        b"".join(served.streaming_content)  # type: ignore[attr-defined]


@pytest.mark.parametrize("path", ["/api/docs", "/api/redoc"])
def test_docs_pages_forbid_the_browser_every_other_origin(client: APIClient, path: str) -> None:
    # ReDoc shows its vendor's logo from cdn.redoc.ly whatever the page says; only the
    # policy keeps the browser from fetching it.
    response = client.get(path)
    assert response.status_code == 200
    directives = dict(
        directive.strip().split(" ", 1)
        for directive in response["Content-Security-Policy"].split(";")
    )
    assert directives["default-src"] == "'self'"
    assert directives["img-src"] == "'self' data:"
    allowed = {"'self'", "'none'", "'unsafe-inline'", "data:", "blob:"}
    for sources in directives.values():
        assert set(sources.split()) <= allowed, sources
