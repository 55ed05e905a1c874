"""Fixtures shared by every test folder."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext

from tests.browser import launched_browser, new_context


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    yield from launched_browser()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    yield from new_context(browser)


# --- Parallel runs (pytest-xdist, --dist loadgroup) --------------------------------------
# Tests that share an expensive fixture run in one worker, so each live server, render and
# virtual environment is built once per run however many workers there are.

SERVER_FIXTURE = "running"


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        item.add_marker(pytest.mark.xdist_group(shared_fixture_group(item)))


def shared_fixture_group(item: pytest.Item) -> str:
    """The contract server a test uses, else its module and its wide-scoped parameters."""
    module = item.nodeid.split("::", 1)[0].replace("/", ".")
    callspec = getattr(item, "callspec", None)
    if not isinstance(item, pytest.Function) or callspec is None:
        return module
    params: dict[str, object] = callspec.params
    if SERVER_FIXTURE in params:
        return "server-" + param_label(params[SERVER_FIXTURE])
    definitions = item._fixtureinfo.name2fixturedefs
    wide = [
        param_label(value)
        for name, value in sorted(params.items())
        if name in definitions and definitions[name][-1].scope != "function"
    ]
    return "-".join([module, *wide])


def param_label(value: object) -> str:
    if isinstance(value, tuple | list):
        return "-".join(param_label(part) for part in value)
    text = str(getattr(value, "id", value))
    return "".join(c if c.isalnum() or c in "._-" else "_" for c in text)
