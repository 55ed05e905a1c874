"""What the observability middleware reads from an ASGI scope once the router has run."""

from __future__ import annotations

from starlette.types import Scope

# The label of requests that match no route: raw paths would make one series per URL.
UNMATCHED = "unmatched"


def route_template(scope: Scope) -> str:
    """The matched route's full template (`/api/articles/{slug}`), or `unmatched`."""
    # An included router's route knows only its own part of the path (`/articles/{slug}`);
    # FastAPI keeps the whole template in the context of the route it chose.
    chosen = scope.get("fastapi", {}).get("effective_route_context")
    for source in (chosen, scope.get("route")):
        template = getattr(source, "path_format", None)
        if isinstance(template, str) and template:
            return template
    return UNMATCHED
