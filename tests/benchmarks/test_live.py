"""The live-updates benchmark holds its clients and sees every event it publishes."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from benchmarks.live import live_starter, measure
from tests.support import FRAMEWORKS

pytestmark = [pytest.mark.slow, pytest.mark.postgres]


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_every_held_client_receives_every_article(framework: str, tmp_path: Path) -> None:
    # A thread of its own: a session-wide Playwright keeps an event loop running in this one.
    with live_starter(framework, tmp_path) as server, ThreadPoolExecutor(1) as thread:
        run = thread.submit(asyncio.run, measure(server, framework, clients=20, articles=3))
        result = run.result()
    assert result.held == 20
    assert result.delivered == result.expected == 60
    assert result.percentile(0.99) > 0
