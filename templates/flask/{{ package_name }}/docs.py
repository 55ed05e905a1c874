"""API documentation assets served by the application itself (no CDN).

flask-smorest renders the Swagger UI and ReDoc pages; their JavaScript and CSS
come from the flask-openapi3-swagger and flask-openapi3-redoc distributions
(Swagger UI 5 and ReDoc 2, which loads as a classic script).
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from flask import Blueprint, Response, send_from_directory
from werkzeug.exceptions import NotFound

from .about import PROJECT_NAME, VERSION

ASSETS_URL = "/api/docs/assets/"
SWAGGER_UI = Path(str(files("flask_openapi3_swagger"))) / "templates" / "swagger"
REDOC = Path(str(files("flask_openapi3_redoc"))) / "templates" / "redoc"
ASSETS = {
    "swagger-ui.css": SWAGGER_UI / "css",
    "swagger-ui-bundle.js": SWAGGER_UI / "js",
    "swagger-ui-standalone-preset.js": SWAGGER_UI / "js",
    "redoc.standalone.js": REDOC / "js",
}
ONE_DAY = 86400

blp = Blueprint("docs_assets", __name__, url_prefix=ASSETS_URL.rstrip("/"))


@blp.get("/<name>")
def asset(name: str) -> Response:
    folder = ASSETS.get(name)
    if folder is None:
        raise NotFound
    return send_from_directory(folder, name, max_age=ONE_DAY)


def openapi_config() -> dict[str, object]:
    """flask-smorest settings for the spec and the self-hosted documentation pages."""
    return {
        "API_TITLE": PROJECT_NAME,
        "API_VERSION": VERSION,
        "OPENAPI_VERSION": "3.1.0",
        "OPENAPI_URL_PREFIX": "/api",
        "OPENAPI_JSON_PATH": "openapi.json",
        "OPENAPI_SWAGGER_UI_PATH": "docs",
        "OPENAPI_SWAGGER_UI_URL": ASSETS_URL,
        "OPENAPI_SWAGGER_UI_CONFIG": {"persistAuthorization": True},
        "OPENAPI_REDOC_PATH": "redoc",
        "OPENAPI_REDOC_URL": f"{ASSETS_URL}redoc.standalone.js",
    }


OAUTH2_PASSWORD_SCHEME = {
    "type": "oauth2",
    "flows": {"password": {"tokenUrl": "/api/auth/token", "scopes": {}}},
}
