"""`stackpick web` in headless Chromium: the form updates the recommendation as answers change,
the Explore view opens a file, and no request leaves 127.0.0.1."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, Route, expect, sync_playwright

from tests.support import IN_CI

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
TIMEOUT_MS = 30_000


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
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


@pytest.fixture
def page(browser: Browser, base_url: str) -> Iterator[tuple[Page, list[str]]]:
    """A page whose requests outside the server's origin are aborted and recorded."""
    context = browser.new_context()
    context.set_default_timeout(TIMEOUT_MS)
    created = context.new_page()
    home = urlsplit(base_url).netloc
    foreign: list[str] = []

    def guard(route: Route) -> None:
        url = route.request.url
        if urlsplit(url).netloc == home or url.startswith("data:"):
            route.continue_()
        else:
            foreign.append(url)
            route.abort()

    created.route("**/*", guard)
    yield created, foreign
    context.close()


def test_the_recommendation_follows_the_answers_and_nothing_leaves_home(
    page: tuple[Page, list[str]], base_url: str
) -> None:
    browser_page, foreign = page
    errors: list[str] = []
    browser_page.on("pageerror", lambda error: errors.append(str(error)))
    browser_page.goto(base_url + "/")
    pick = browser_page.locator("#pick")
    expect(pick).to_contain_text("Recommended: FastAPI")

    browser_page.select_option("#field-app_kind", "cms")

    expect(pick).to_contain_text("Recommended: Django")
    expect(browser_page.locator('input[name="features"][value="admin"]')).to_be_checked()
    expect(browser_page.locator("#field-framework")).to_have_value("django")
    expect(browser_page.locator("#share-link")).to_have_attribute(
        "href", re.compile("app_kind=cms")
    )
    expect(browser_page.locator("#command-stackpick")).to_contain_text("-d app_kind=cms")

    browser_page.select_option("#field-framework", "flask")
    expect(browser_page.locator("#override")).to_contain_text("Flask")

    browser_page.fill("#field-project_slug", "Not A Slug")
    expect(browser_page.locator("#error")).to_contain_text("project_slug must be kebab-case")
    browser_page.fill("#field-project_slug", "my-site")
    expect(browser_page.locator("#error")).to_be_hidden()

    browser_page.click("#explore-button")
    browser_page.click('#tree button[data-path="README.md"]')
    expect(browser_page.locator("#file-content")).to_contain_text("# My Service")

    assert foreign == []
    assert errors == []


def test_a_share_link_fills_the_form(page: tuple[Page, list[str]], base_url: str) -> None:
    browser_page, foreign = page
    browser_page.goto(base_url + "/?app_kind=realtime&project_name=Live+Board")
    expect(browser_page.locator("#field-app_kind")).to_have_value("realtime")
    expect(browser_page.locator("#field-project_slug")).to_have_value("live-board")
    expect(browser_page.locator('input[name="features"][value="websockets"]')).to_be_checked()
    expect(browser_page.locator("#pick")).to_contain_text("Recommended: FastAPI")
    assert foreign == []
