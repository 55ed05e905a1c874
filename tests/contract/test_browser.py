"""In a real browser (headless Chromium): offline API docs, the admin login, live article lists,
and the account lifecycle on the HTML pages.

Every request a page makes is checked: anything that leaves the starter's own
origin is aborted and recorded, and the test fails if there was any.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import BrowserContext

from tests.browser import TIMEOUT_MS, GuardedPage, guarded_page
from tests.contract.client import PASSWORD, Account, ContractClient, unique
from tests.contract.forms import FORMS, create_staff
from tests.contract.mail import MailBox
from tests.contract.servers import RunningStarter, require_account_lifecycle
from tests.support import BASE_ANSWERS

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def test_swagger_ui_renders_the_operations(
    running: RunningStarter, context: BrowserContext
) -> None:
    guarded = guarded_page(context, running.base_url)
    guarded.page.goto(f"{running.base_url}/api/docs", wait_until="networkidle")
    guarded.page.wait_for_selector(".opblock", state="visible")
    summaries = guarded.page.locator(".opblock-summary-path").all_inner_texts()
    assert any("/articles/{slug}" in text for text in summaries), summaries
    assert len(summaries) >= 10, summaries
    assert guarded.page.locator(".btn.authorize").count() == 1, "no Authorize button"
    guarded.assert_stayed_home()


def test_redoc_renders_the_operations(running: RunningStarter, context: BrowserContext) -> None:
    guarded = guarded_page(context, running.base_url)
    guarded.page.goto(f"{running.base_url}/api/redoc", wait_until="networkidle")
    # ReDoc 2 and 3 build different DOMs; both show the title and every operation's path.
    guarded.page.wait_for_function(
        "() => document.body.innerText.includes('/articles/{slug}')", timeout=TIMEOUT_MS
    )
    text = guarded.page.inner_text("body")
    assert str(BASE_ANSWERS["project_name"]) in text, text[:500]
    for path in ("/auth/token", "/users/me", "/health/ready"):
        assert path in text, path
    guarded.assert_stayed_home()


@dataclass(frozen=True)
class AdminLogin:
    """How a starter's admin login form looks in a browser."""

    username_field: str
    password_field: str
    signed_in_text: str


ADMINS: dict[str, AdminLogin] = {
    "django": AdminLogin("#id_username", "#id_password", "Log out"),
    "flask": AdminLogin("input[name=username]", "input[name=password]", "Log out"),
    "fastapi": AdminLogin("input[name=username]", "input[name=password]", "Logout"),
}


def sign_in(guarded: GuardedPage, admin: AdminLogin, username: str, password: str) -> None:
    page = guarded.page
    page.fill(admin.username_field, username)
    page.fill(admin.password_field, password)
    with page.expect_navigation():
        page.locator(f"{admin.password_field} >> xpath=ancestor::form").locator(
            "[type=submit]"
        ).click()


def test_admin_login(running: RunningStarter, context: BrowserContext) -> None:
    admin = ADMINS.get(running.starter.framework)
    if admin is None:
        pytest.fail(f"no admin login known for {running.starter.framework}", pytrace=False)
    username, password = create_staff(running)
    guarded = guarded_page(context, running.base_url)
    guarded.page.goto(f"{running.base_url}{FORMS[running.starter.framework].admin}")
    sign_in(guarded, admin, unique("nobody"), "wrong-password-1")
    assert guarded.page.get_by_text(admin.signed_in_text).count() == 0
    sign_in(guarded, admin, username, password)
    guarded.page.get_by_text(admin.signed_in_text).first.wait_for()
    guarded.assert_stayed_home()


def test_the_article_list_page_shows_a_published_article_live(
    running: RunningStarter, context: BrowserContext, api: ContractClient, author: Account
) -> None:
    if running.starter.database != "postgresql":
        pytest.skip("live updates are rendered into the PostgreSQL contract servers only")
    guarded = guarded_page(context, running.base_url)
    with guarded.page.expect_websocket() as opened:
        guarded.page.goto(f"{running.base_url}/")
    socket = opened.value
    assert socket.url.endswith("/api/ws/articles"), socket.url
    # The handshake is under way when the event fires; give it a moment to complete.
    guarded.page.wait_for_timeout(500)
    title = unique("Live in the page ")
    api.create_article(author, title=title)
    guarded.page.get_by_text(title).first.wait_for(timeout=5_000)
    assert not socket.is_closed(), "the page's socket closed"
    guarded.assert_stayed_home()


# --- The account lifecycle on the HTML pages (html_pages) ---------------------------------------

FLASH = "p.flash[role=status]"
NEW_PAGE_PASSWORD = "a-new-page-passphrase"


def submit(guarded: GuardedPage, fields: dict[str, str], *, check: tuple[str, ...] = ()) -> None:
    """Fill the page's form that holds the first field (or its one non-header form) and send it."""
    page = guarded.page
    wanted = f"[name={next(iter(fields))}]" if fields else "button[type=submit]"
    forms = page.locator(f"form:has({wanted}):not(:has(button:text-is('Log out')))")
    assert forms.count() >= 1, f"no form with {wanted} on {page.url}: {page.title()!r}"
    form = forms.first
    for name, value in fields.items():
        form.locator(f"[name={name}]").fill(value)
    for name in check:
        form.locator(f"[name={name}]").check()
    with page.expect_navigation():
        form.locator("button[type=submit]").first.click()


def assert_flash(guarded: GuardedPage, message: str) -> None:
    flashes = guarded.page.locator(FLASH).all_inner_texts()
    assert message in [text.strip() for text in flashes], (guarded.page.url, flashes)


def log_out(guarded: GuardedPage) -> None:
    with guarded.page.expect_navigation():
        guarded.page.get_by_role("button", name="Log out").click()
    assert_flash(guarded, "You have been logged out.")


def assert_signed_in(guarded: GuardedPage, username: str) -> None:
    header = guarded.page.locator("header").first
    assert username in header.inner_text(), header.inner_text()
    assert guarded.page.get_by_role("button", name="Log out").count() == 1


def follow_mail_link(guarded: GuardedPage, link: str, path: str, base_url: str) -> None:
    assert link.startswith(f"{base_url}{path}?token="), link
    guarded.page.goto(link)


def log_in(guarded: GuardedPage, base_url: str, username: str, password: str) -> None:
    guarded.page.goto(f"{base_url}/login")
    submit(guarded, {"username": username, "password": password})
    assert_signed_in(guarded, username)


def test_the_pages_walk_the_whole_account_lifecycle(
    running: RunningStarter, context: BrowserContext, mailbox: MailBox
) -> None:
    require_account_lifecycle(running, pages=True)
    base, guarded = running.base_url, guarded_page(context, running.base_url)
    page = guarded.page
    username = unique("walker")
    email = f"{username}@example.com"

    page.goto(f"{base}/register")
    submit(guarded, {"username": username, "email": email, "password": PASSWORD})
    assert_flash(guarded, "Check your email to verify your address.")
    assert_signed_in(guarded, username)

    verify = mailbox.one_for(email, "Verify your email address").link_with_token()
    follow_mail_link(guarded, verify, "/verify-email", base)
    submit(guarded, {})
    assert_flash(guarded, "Your email address is verified.")
    log_out(guarded)

    log_in(guarded, base, username, PASSWORD)
    title = unique("Walked through ")
    page.goto(f"{base}/articles/new")
    submit(guarded, {"title": title, "content": "Written in the browser."}, check=("published",))
    assert urlsplit(page.url).path.startswith("/articles/"), page.url
    page.get_by_text(title).first.wait_for()
    page.goto(f"{base}/")
    page.get_by_text(title).first.wait_for()
    log_out(guarded)

    page.goto(f"{base}/login")
    with page.expect_navigation():
        page.get_by_role("link", name="Forgot your password?").click()
    assert urlsplit(page.url).path == "/forgot-password", page.url
    submit(guarded, {"email": email})
    assert_flash(guarded, "If the address is registered, a reset link has been sent.")

    reset = mailbox.one_for(email, "Reset your password").link_with_token()
    follow_mail_link(guarded, reset, "/reset-password", base)
    submit(guarded, {"password": NEW_PAGE_PASSWORD})
    assert urlsplit(page.url).path == "/login", page.url
    assert_flash(guarded, "Your password has been reset. Log in with the new password.")
    log_in(guarded, base, username, NEW_PAGE_PASSWORD)
    guarded.assert_stayed_home()
