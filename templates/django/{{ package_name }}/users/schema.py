"""How the OpenAPI document describes bearer tokens (loaded by UsersConfig.ready)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from drf_spectacular.extensions import OpenApiAuthenticationExtension

from .authentication import BearerAuthentication

if TYPE_CHECKING:
    from drf_spectacular.openapi import AutoSchema

TOKEN_URL = "/api/auth/token"


class BearerAuthenticationScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    """An OAuth2 password flow, so that Swagger UI's Authorize button fetches a token."""

    target_class = BearerAuthentication
    name = "OAuth2PasswordBearer"

    def get_security_definition(self, auto_schema: AutoSchema) -> dict[str, object]:
        return {"type": "oauth2", "flows": {"password": {"tokenUrl": TOKEN_URL, "scopes": {}}}}
