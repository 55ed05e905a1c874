"""stackpick.py, README's test command: one worker per core unless the arguments say otherwise."""

from __future__ import annotations

import importlib.util
from types import ModuleType

import pytest

from tests.support import REPO_ROOT


def bootstrap() -> ModuleType:
    spec = importlib.util.spec_from_file_location("stackpick_bootstrap", REPO_ROOT / "stackpick.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("arguments", "chosen"),
    [
        ([], False),
        (["tests/generator", "-q"], False),
        (["-k", "nothing", "--no-header"], False),
        (["-n", "0"], True),
        (["-n4"], True),
        (["--numprocesses=3"], True),
        (["-p", "no:xdist"], True),
    ],
)
def test_workers_are_added_only_when_the_arguments_name_none(
    arguments: list[str], chosen: bool
) -> None:
    assert bootstrap().chooses_workers(arguments) is chosen
