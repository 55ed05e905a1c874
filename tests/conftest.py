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
