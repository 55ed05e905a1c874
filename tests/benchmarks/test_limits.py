"""The limits benchmark compares like with like: each minimal app gives the starter's answers."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.limits import ENDPOINTS, Measured, prepared
from tests.support import FRAMEWORKS

pytestmark = [pytest.mark.slow, pytest.mark.postgres]


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_the_minimal_app_serves_the_starters_page_and_is_measured(
    framework: str, tmp_path: Path
) -> None:
    # prepared() seeds the database and fails unless both servers give the same page.
    with prepared(framework, tmp_path) as bench:
        measured = Measured()
        bench.measure("minimal", 1, measured)
    assert all(len(rates) == 1 and rates[0] > 0 for rates in measured.rps.values())
    assert set(measured.rps) == set(ENDPOINTS)
    assert measured.rss_warm[0] > 10
