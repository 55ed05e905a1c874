#!/usr/bin/env python3
"""Run stackpick from a checkout with nothing but python3.

    python3 stackpick.py new ../my-service   # render a starter (asks in a terminal)
    python3 stackpick.py test [PYTEST ARGS]  # run every test

The first run builds .venv/ with the project and its dev tools; later runs
reuse it until pyproject.toml changes.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
STAMP = VENV / ".stackpick-installed"
PYTEST_NO_TESTS = 5


def _fingerprint() -> str:
    return hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()


def ensure_environment() -> None:
    if STAMP.exists() and STAMP.read_text() == _fingerprint():
        return
    print("stackpick: preparing .venv (first run only)...", file=sys.stderr)
    if not (BIN / "python").exists():
        venv.create(VENV, with_pip=True)
    subprocess.run(
        [str(BIN / "python"), "-m", "pip", "install", "--quiet", "--editable", f"{ROOT}[dev]"],
        check=True,
    )
    STAMP.write_text(_fingerprint())


def chooses_workers(arguments: list[str]) -> bool:
    """Whether the pytest arguments already say how many worker processes to use."""
    for argument in arguments:
        if argument.startswith("--numprocesses") or "no:xdist" in argument:
            return True
        if argument.startswith("-n") and not argument.startswith("--"):
            return True
    return False


def run_tests(arguments: list[str]) -> int:
    # One worker per core; tests sharing a live server or a render stay in one worker
    # (tests/conftest.py groups them), so nothing expensive is built twice.
    parallel = [] if chooses_workers(arguments) else ["-n", "auto", "--dist", "loadgroup"]
    command = [str(BIN / "python"), "-m", "pytest", *parallel, *arguments]
    code = subprocess.call(command, cwd=ROOT)
    if code == PYTEST_NO_TESTS:
        print("stackpick: pytest collected no tests; treating that as a failure", file=sys.stderr)
        return 1
    return code


def main(arguments: list[str]) -> int:
    ensure_environment()
    if arguments[:1] == ["test"]:
        return run_tests(arguments[1:])
    return subprocess.call([str(BIN / "stackpick"), *arguments])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
