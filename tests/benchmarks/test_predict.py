"""The prediction benchmark serves a trained model and measures both ways (no timing asserted)."""

from __future__ import annotations

import pytest

from benchmarks.predict import BATCH_SIZES, measure, report

pytestmark = pytest.mark.slow


def test_measures_served_and_direct_predictions_for_each_batch_size() -> None:
    results = measure(requests=3)

    assert [rates.batch_size for rates in results] == list(BATCH_SIZES)
    assert all(rates.served > 0 and rates.direct > 0 for rates in results)
    assert "direct:served" in report(results)
