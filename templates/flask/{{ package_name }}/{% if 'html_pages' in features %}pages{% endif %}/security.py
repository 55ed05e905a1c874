"""The pages load nothing but this service's own files, so they can forbid everything else."""

from __future__ import annotations

from flask import Response

CONTENT_SECURITY_POLICY = "default-src 'self'; frame-ancestors 'none'; form-action 'self'"


def strict_csp(response: Response) -> Response:
    """A Content-Security-Policy that allows this origin only (unless the view set its own)."""
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    return response
