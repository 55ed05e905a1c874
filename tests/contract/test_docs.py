"""Documentation: the OpenAPI document and the Swagger UI / ReDoc pages, served without a CDN."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest

from tests.contract.client import ContractClient

pytestmark = pytest.mark.slow

CONTRACT_OPERATIONS = {
    ("get", "/api/health"),
    ("get", "/api/health/ready"),
    ("post", "/api/auth/register"),
    ("post", "/api/auth/token"),
    ("get", "/api/users/me"),
    ("get", "/api/articles"),
    ("post", "/api/articles"),
    ("get", "/api/articles/{}"),
    ("patch", "/api/articles/{}"),
    ("delete", "/api/articles/{}"),
}
OPENAPI_MEDIA_TYPES = {"application/json", "application/vnd.oai.openapi+json"}
HTTP_METHODS = {"get", "post", "put", "patch", "delete", "head", "options", "trace"}


class AssetCollector(HTMLParser):
    """The URLs a page loads by itself: scripts, stylesheets, icons, images, frames."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        for name in ("src", "href"):
            value = attributes.get(name)
            if value and (tag != "a" or name != "href"):
                self.urls.append(value)


@pytest.fixture(scope="module")
def openapi(api: ContractClient) -> dict[str, Any]:
    response = api.http.get("/api/openapi.json")
    assert response.status_code == 200, response.text
    media_type = response.headers["content-type"].split(";")[0].strip()
    assert media_type in OPENAPI_MEDIA_TYPES, media_type
    document: dict[str, Any] = response.json()
    return document


def documented_operations(document: dict[str, Any], base_url: str) -> set[tuple[str, str]]:
    servers = document.get("servers") or [{"url": "/"}]
    prefix = urlsplit(urljoin(base_url + "/", servers[0]["url"])).path.rstrip("/")
    found = set()
    for path, item in document["paths"].items():
        normalised = re.sub(r"\{[^}]+\}", "{}", prefix + path)
        found |= {
            (method, normalised.rstrip("/") or "/") for method in item if method in HTTP_METHODS
        }
    return found


def test_openapi_is_version_three(openapi: dict[str, Any]) -> None:
    assert str(openapi.get("openapi", "")).startswith("3."), openapi.get("openapi")
    assert openapi["info"]["title"]


def test_openapi_documents_every_contract_operation(
    api: ContractClient, openapi: dict[str, Any]
) -> None:
    missing = CONTRACT_OPERATIONS - documented_operations(openapi, api.base_url)
    assert not missing, sorted(missing)


def test_openapi_has_an_oauth2_password_scheme(
    api: ContractClient, openapi: dict[str, Any]
) -> None:
    schemes = openapi.get("components", {}).get("securitySchemes", {})
    token_urls = [
        scheme["flows"]["password"].get("tokenUrl", "")
        for scheme in schemes.values()
        if scheme.get("type") == "oauth2" and "password" in scheme.get("flows", {})
    ]
    assert token_urls, schemes
    resolved = [
        urlsplit(urljoin(f"{api.base_url}/api/openapi.json", url)).path for url in token_urls
    ]
    assert "/api/auth/token" in resolved, token_urls


def test_openapi_says_the_token_endpoint_is_form_encoded(openapi: dict[str, Any]) -> None:
    operation = next(
        item["post"] for path, item in openapi["paths"].items() if path.endswith("/auth/token")
    )
    content = operation["requestBody"]["content"]
    assert "application/x-www-form-urlencoded" in content, sorted(content)


@pytest.mark.parametrize("page", ["/api/docs", "/api/redoc"])
def test_docs_pages_load_everything_from_the_starter(api: ContractClient, page: str) -> None:
    response = api.http.get(page, follow_redirects=True)
    assert response.status_code == 200, response.text[:300]
    assert response.headers["content-type"].startswith("text/html")
    collector = AssetCollector()
    collector.feed(response.text)
    assets = [urljoin(str(response.url), url) for url in collector.urls]
    assert any(url.endswith(".js") or ".js?" in url for url in assets), collector.urls
    origin = urlsplit(api.base_url)
    for url in assets:
        parts = urlsplit(url)
        assert (parts.scheme, parts.netloc) == (origin.scheme, origin.netloc), url
        loaded = api.http.get(url)
        assert loaded.status_code == 200, (url, loaded.status_code)
    for cdn in ("cdn.jsdelivr.net", "unpkg.com", "cdnjs", "fonts.googleapis.com"):
        assert cdn not in response.text, cdn
