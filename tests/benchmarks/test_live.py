"""The live-updates benchmark holds its clients and sees every event it publishes."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from benchmarks.live import live_starter, measure
from tests.support import FRAMEWORKS

pytestmark = [pytest.mark.slow, pytest.mark.postgres]


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_every_held_client_receives_every_article(framework: str, tmp_path: Path) -> None:
    with live_starter(framework, tmp_path) as server:
        result = asyncio.run(measure(server, framework, clients=20, articles=3))
    assert result.held == 20
    assert result.delivered == result.expected == 60
    assert result.percentile(0.99) > 0
