"""The prediction benchmark serves a trained model and measures both ways (no timing asserted)."""

from __future__ import annotations

import pytest

from benchmarks.predict import BATCH_SIZES, FRAMEWORKS, measure, report

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_measures_served_and_direct_predictions_for_each_batch_size(framework: str) -> None:
    results = measure(framework, requests=3)

    assert [rates.batch_size for rates in results] == list(BATCH_SIZES)
    assert all(rates.served > 0 and rates.direct > 0 for rates in results)
    assert all(rates.framework == framework for rates in results)
    assert framework in report(results)
    assert "served:direct" in report(results)
