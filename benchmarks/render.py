"""Render time of each starter, as a ratio against a minimal Copier template.

    .venv/bin/python -m benchmarks.render [--rounds 5]

The baseline renders a one-file template with one question through the same
copier.run_copy in the same process, so the ratio shows what stackpick's
questionnaire, rules and templates add on top of Copier itself.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import tempfile
import time
import warnings
from collections.abc import Callable
from functools import partial
from pathlib import Path

import copier

from tests.support import FRAMEWORKS, render


def minimal_template(root: Path) -> Path:
    (root / "copier.yml").write_text("name:\n  type: str\n  default: demo\n")
    (root / "README.md.jinja").write_text("# {{ name }}\n")
    # A git repository, like stackpick's own checkout, so both pay for Copier's clone.
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "baseline"]):
        subprocess.run(
            ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.com", *command],
            cwd=root,
            check=True,
        )
    return root


def timed(action: Callable[[Path], object], rounds: int) -> float:
    samples = []
    for _ in range(rounds):
        with tempfile.TemporaryDirectory() as scratch:
            started = time.perf_counter()
            action(Path(scratch) / "out")
            samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    rounds = parser.parse_args().rounds
    warnings.simplefilter("ignore")
    with tempfile.TemporaryDirectory() as scratch:
        template = minimal_template(Path(scratch))
        baseline = timed(
            lambda out: copier.run_copy(
                str(template), out, defaults=True, quiet=True, vcs_ref="HEAD"
            ),
            rounds,
        )
        print(f"baseline (one-file Copier template in git): {baseline:.3f} s")
        for framework in FRAMEWORKS:
            seconds = timed(partial(render, framework), rounds)
            print(f"{framework:8} {seconds:.3f} s  ratio {seconds / baseline:.1f}x")


if __name__ == "__main__":
    main()
