from __future__ import annotations

import re
import tomllib
from pathlib import Path

from httpx import AsyncClient


async def test_openapi_describes_the_api_with_the_password_flow(client: AsyncClient) -> None:
    document = (await client.get("/api/openapi.json")).json()

    assert document["openapi"].startswith("3.")
    assert {"/api/auth/token", "/api/articles", "/api/articles/{slug}"} <= set(document["paths"])
    schemes = document["components"]["securitySchemes"].values()
    assert [scheme["flows"]["password"]["tokenUrl"] for scheme in schemes] == ["/api/auth/token"]


async def test_doc_pages_load_their_assets_from_this_service(client: AsyncClient) -> None:
    for page in ("/api/docs", "/api/redoc"):
        response = await client.get(page)
        assert response.status_code == 200
        assets = re.findall(r'(?:src|href)="([^"]+)"', response.text)
        assert assets
        for asset in assets:
            assert asset.startswith("/api/docs/assets/"), asset
            assert (await client.get(asset)).status_code == 200
        policy = response.headers["content-security-policy"]
        assert "default-src 'self'" in policy
        assert "img-src 'self' data:" in policy


async def test_swagger_oauth2_redirect_page(client: AsyncClient) -> None:
    response = await client.get("/api/docs/oauth2-redirect")

    assert response.status_code == 200
    assert "oauth2" in response.text.lower()


async def test_every_operation_has_a_summary_under_a_shared_tag(client: AsyncClient) -> None:
    document = (await client.get("/api/openapi.json")).json()

    operations = [op for path in document["paths"].values() for op in path.values()]
    assert operations
    for operation in operations:
        assert operation["summary"]
        assert set(operation["tags"]) <= {"health", "auth", "users", "articles", "model", "shop"}
    tags = {tag for operation in operations for tag in operation["tags"]}
    assert {"health", "auth", "users", "articles"} <= tags


async def test_documented_version_is_the_project_version(client: AsyncClient) -> None:
    project = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text())

    document = (await client.get("/api/openapi.json")).json()

    assert document["info"]["version"] == project["project"]["version"]
