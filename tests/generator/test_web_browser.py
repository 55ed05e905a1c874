"""`stackpick web` in headless Chromium: the form updates the recommendation as answers change,
the Explore view opens a file, and no request leaves 127.0.0.1."""

from __future__ import annotations

import re
import stat
import zipfile
from pathlib import Path
from urllib.parse import urljoin

import pytest
from playwright.sync_api import BrowserContext, expect

from tests.browser import GuardedPage, guarded_page
from tests.starters.flask import OWN_TESTS
from tests.support import ensure_venv, run, starter_env

pytestmark = pytest.mark.browser


@pytest.fixture
def page(context: BrowserContext, base_url: str) -> GuardedPage:
    return guarded_page(context, base_url)


def test_the_recommendation_follows_the_answers_and_nothing_leaves_home(
    page: GuardedPage, base_url: str
) -> None:
    browser_page = page.page
    browser_page.goto(base_url + "/")
    pick = browser_page.locator("#pick")
    expect(pick).to_contain_text("Recommended: FastAPI")
    expect(browser_page.locator("#reasons .source").first).to_contain_text("source: ")
    sources_before = browser_page.locator("#reasons").inner_text()

    browser_page.select_option("#field-app_kind", "cms")

    expect(pick).to_contain_text("Recommended: Django")
    expect(browser_page.locator("#reasons")).not_to_have_text(sources_before)
    expect(browser_page.locator("#reasons .source").first).to_contain_text("source: ")
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
    page.assert_stayed_home()


def test_a_share_link_opens_the_same_answers_in_a_new_page(
    page: GuardedPage, context: BrowserContext, base_url: str
) -> None:
    browser_page = page.page
    browser_page.goto(base_url + "/")
    browser_page.select_option("#field-app_kind", "realtime")
    browser_page.fill("#field-project_name", "Live Board")
    expect(browser_page.locator("#share-link")).to_have_attribute(
        "href", re.compile("project_name=Live")
    )
    shared = browser_page.locator("#share-link").get_attribute("href")
    assert shared is not None

    opened = context.new_page()
    opened.goto(urljoin(base_url + "/", shared))
    expect(opened.locator("#field-app_kind")).to_have_value("realtime")
    expect(opened.locator("#field-project_name")).to_have_value("Live Board")
    expect(opened.locator("#field-project_slug")).to_have_value("live-board")
    expect(opened.locator('input[name="features"][value="websockets"]')).to_be_checked()
    expect(opened.locator("#pick")).to_contain_text("Recommended: FastAPI")
    page.assert_stayed_home()


@pytest.mark.slow
def test_the_downloaded_zip_is_a_starter_whose_suite_passes(
    page: GuardedPage, base_url: str, tmp_path: Path
) -> None:
    browser_page = page.page
    browser_page.goto(base_url + "/")
    browser_page.select_option("#field-framework", "flask")
    browser_page.fill("#field-project_name", "Zip Shop")
    expect(browser_page.locator("#download")).to_have_attribute(
        "href", re.compile("framework=flask")
    )
    with browser_page.expect_download() as pending:
        browser_page.click("#download")
    download = pending.value
    assert download.suggested_filename == "zip-shop.zip"
    archive = tmp_path / download.suggested_filename
    download.save_as(archive)
    page.assert_stayed_home()

    with zipfile.ZipFile(archive) as opened:
        opened.extractall(tmp_path)
    project = tmp_path / "zip-shop"
    restore_modes(archive, project)
    assert (project / "zip_shop" / "__init__.py").is_file()
    python = ensure_venv(project)
    output = run(OWN_TESTS, cwd=project, env=starter_env(project, python)).stdout
    assert " passed" in output, output[-2000:]


def restore_modes(archive: Path, root: Path) -> None:
    """ZipFile.extractall drops Unix modes; put back those the archive carries."""
    with zipfile.ZipFile(archive) as opened:
        for member in opened.infolist():
            mode = member.external_attr >> 16
            if mode and not member.is_dir():
                (root.parent / member.filename).chmod(stat.S_IMODE(mode))
