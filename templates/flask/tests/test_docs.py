from __future__ import annotations

import re

from flask.testing import FlaskClient

HTTP_METHODS = {"get", "post", "put", "patch", "delete"}
# Every starter has these; an app kind may add tags of its own after them.
CORE_TAGS = ["auth", "health", "users", "articles"]


def test_the_openapi_document_describes_the_api(client: FlaskClient) -> None:
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    spec = response.get_json()
    assert spec["openapi"].startswith("3.")
    for path in (
        "/api/health",
        "/api/health/ready",
        "/api/auth/register",
        "/api/auth/token",
        "/api/users/me",
        "/api/articles",
        "/api/articles/{slug}",
    ):
        assert path in spec["paths"], path
    operations = [
        operation
        for item in spec["paths"].values()
        for method, operation in item.items()
        if method in HTTP_METHODS
    ]
    operation_ids = [operation["operationId"] for operation in operations]
    assert len(operation_ids) == len(set(operation_ids))
    core = [operation for operation in operations if set(operation["tags"]) <= set(CORE_TAGS)]
    assert len(core) == 17
    scheme = spec["components"]["securitySchemes"]["OAuth2PasswordBearer"]
    assert scheme["flows"]["password"]["tokenUrl"] == "/api/auth/token"
    token_body = spec["paths"]["/api/auth/token"]["post"]["requestBody"]["content"]
    assert "application/x-www-form-urlencoded" in token_body


def _asset_urls(html: str) -> list[str]:
    return re.findall(r'(?:src|href)="([^"]+)"', html)


def test_swagger_ui_loads_its_assets_from_this_server(client: FlaskClient) -> None:
    page = client.get("/api/docs")
    assert page.status_code == 200
    assert "img-src 'self'" in page.headers["Content-Security-Policy"]
    urls = _asset_urls(page.get_data(as_text=True))
    assert urls
    for url in urls:
        assert url.startswith("/api/"), url
        asset = client.get(url)
        assert asset.status_code == 200, url
        assert len(asset.get_data()) > 1000
        asset.close()


def test_redoc_loads_its_script_from_this_server(client: FlaskClient) -> None:
    page = client.get("/api/redoc")
    assert page.status_code == 200
    urls = _asset_urls(page.get_data(as_text=True))
    assert urls == ["/api/docs/assets/redoc.standalone.js"]
    script = client.get(urls[0])
    assert script.status_code == 200
    script.close()


def test_unknown_assets_are_404(client: FlaskClient) -> None:
    assert client.get("/api/docs/assets/../../settings.py").status_code == 404
    assert client.get("/api/docs/assets/secrets.js").status_code == 404


def test_every_operation_has_a_summary_and_a_shared_tag(client: FlaskClient) -> None:
    spec = client.get("/api/openapi.json").get_json()
    assert [tag["name"] for tag in spec["tags"]][: len(CORE_TAGS)] == CORE_TAGS
    tags = {}
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method in HTTP_METHODS:
                assert operation.get("summary"), (method, path)
                tags[path] = operation["tags"]
    assert tags["/api/auth/refresh"] == ["auth"]
    assert tags["/api/users/me"] == ["users"]
    assert tags["/api/health"] == ["health"]
