"""Headless Chromium for the browser tests: one browser for the whole run, pages that stay home.

Playwright's sync API runs one event loop per process, so every browser test shares the
session's single `browser` fixture (tests/conftest.py) instead of starting its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Route, sync_playwright

from tests.support import IN_CI

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
TIMEOUT_MS = 30_000


@dataclass
class GuardedPage:
    """A page whose requests may only go to one origin; the others are aborted and kept."""

    page: Page
    origin: str
    foreign: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def assert_stayed_home(self) -> None:
        assert not self.foreign, f"requests left {self.origin}: {self.foreign}"
        assert not self.errors, f"the page raised: {self.errors}"


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def guarded_page(context: BrowserContext, base_url: str) -> GuardedPage:
    page = context.new_page()
    guarded = GuardedPage(page, origin_of(base_url))

    def guard(route: Route) -> None:
        url = route.request.url
        if url.startswith(("data:", "blob:")) or origin_of(url) == guarded.origin:
            route.continue_()
            return
        guarded.foreign.append(url)
        route.abort()

    context.route("**/*", guard)
    page.on("pageerror", lambda error: guarded.errors.append(str(error)))
    return guarded


def launched_browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing (apt-get install -y chromium)"
        if IN_CI:
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield launched
        launched.close()


def new_context(browser: Browser) -> Iterator[BrowserContext]:
    created = browser.new_context()
    created.set_default_timeout(TIMEOUT_MS)
    yield created
    created.close()
