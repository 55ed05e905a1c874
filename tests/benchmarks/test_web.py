"""The web benchmark runs as README gives it and times what it says it times."""

from __future__ import annotations

import re
import subprocess
import sys

from tests.support import REPO_ROOT


def test_the_web_benchmark_prints_each_ratio() -> None:
    finished = subprocess.run(
        [sys.executable, "-m", "benchmarks.web", "--rounds", "1"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    for label in ("Explore tree", "zip", "Explore, cached"):
        assert re.search(rf"^{label} +\d+\.\d+ s  ratio \d+\.\d+x", finished.stdout, re.M), (
            finished.stdout
        )
