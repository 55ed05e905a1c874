"""Fixtures shared by the generator tests."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support import REPO_ROOT


@pytest.fixture(scope="session")
def web_scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The web server's own temporary folder, so what it leaves there is its own."""
    return tmp_path_factory.mktemp("web-scratch")


@pytest.fixture(scope="session")
def base_url(web_scratch: Path) -> Iterator[str]:
    """`stackpick web --port 0` as a user starts it; the address it prints."""
    server = subprocess.Popen(
        [sys.executable, "-m", "generator", "web", "--port", "0"],
        cwd=REPO_ROOT,
        env={**os.environ, "TMPDIR": str(web_scratch)},
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert server.stdout is not None
        line = server.stdout.readline()
        assert line.startswith("stackpick web: http://127.0.0.1:"), line
        url = line.split()[2].rstrip("/")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=15)
