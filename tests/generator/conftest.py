"""Fixtures shared by the generator tests."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks.web import web_server


@pytest.fixture(scope="session")
def web_scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The web server's own temporary folder, so what it leaves there is its own."""
    return tmp_path_factory.mktemp("web-scratch")


@pytest.fixture(scope="session")
def base_url(web_scratch: Path) -> Iterator[str]:
    """`stackpick web --port 0` as a user starts it; the address it prints."""
    with web_server({**os.environ, "TMPDIR": str(web_scratch)}) as url:
        yield url
