"""HTML forms of the starters as a client sees them: parsed from the page, posted back by hand.

Cookies are kept by hand too: production marks them `Secure`, which a cookie jar
would never send to http://127.0.0.1, while a browser (and a TLS proxy) would.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin

import httpx

from tests.contract.client import unique
from tests.contract.servers import RunningStarter
from tests.support import BASE_ANSWERS, run

PACKAGE = str(BASE_ANSWERS["package_name"])
StaffCommand = Callable[[str, str, str], tuple[list[str], dict[str, str]]]


def django_staff(username: str, email: str, password: str) -> tuple[list[str], dict[str, str]]:
    argv = ["python", "manage.py", "staff", "--username", username, "--email", email]
    return argv, {"PASSWORD": password}


def fastapi_staff(username: str, email: str, password: str) -> tuple[list[str], dict[str, str]]:
    argv = ["python", "-m", PACKAGE, "staff", "--username", username]
    return [*argv, "--email", email], {"PASSWORD": password}


def flask_staff(username: str, email: str, password: str) -> tuple[list[str], dict[str, str]]:
    argv = ["flask", "--app", PACKAGE, "staff", "--username", username, "--email", email]
    return argv, {"PASSWORD": password}


@dataclass(frozen=True)
class StarterForms:
    """Where a starter's HTML forms are, and the command its `make staff` runs."""

    create_staff: StaffCommand
    admin: str
    admin_login: str
    # Every HTML login form: the admin's and the pages' (html_pages).
    logins: tuple[str, ...]
    admin_article_edit: str  # formatted with the article's id


FORMS: dict[str, StarterForms] = {
    "django": StarterForms(
        django_staff,
        admin="/admin/",
        admin_login="/admin/login/",
        logins=("/admin/login/", "/login"),
        admin_article_edit="/admin/articles/article/{id}/change/",
    ),
    "flask": StarterForms(
        flask_staff,
        admin="/admin/",
        admin_login="/admin/login",
        logins=("/admin/login", "/login"),
        admin_article_edit="/admin/admin_articles/edit/?id={id}",
    ),
    "fastapi": StarterForms(
        fastapi_staff,
        admin="/admin/",
        admin_login="/admin/login",
        logins=("/admin/login", "/login"),
        admin_article_edit="/admin/article/edit/{id}",
    ),
}


def create_staff(running: RunningStarter) -> tuple[str, str]:
    """A staff account made with the starter's own command; returns (username, password)."""
    username, password = unique("staff"), secrets.token_urlsafe(12)
    command = FORMS[running.starter.framework].create_staff
    argv, extra_env = command(username, f"{username}@example.com", password)
    run(argv, cwd=running.starter.project_dir, env={**running.env, **extra_env}, timeout=120)
    return username, password


@dataclass
class Form:
    action: str
    method: str
    fields: dict[str, str] = field(default_factory=dict)
    password_field: str | None = None
    username_field: str | None = None

    def without_csrf(self) -> dict[str, str]:
        return {name: value for name, value in self.fields.items() if "csrf" not in name.lower()}

    def csrf_fields(self) -> list[str]:
        return [name for name in self.fields if "csrf" in name.lower()]


class _FormParser(HTMLParser):
    """Collects each form's fields with their current values, as a browser would submit them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._textarea: str | None = None
        self._select: str | None = None
        self._select_value: str | None = None
        self._option_value: str | None = None
        self._submit_taken = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "form":
            self.forms.append(Form(values.get("action", ""), values.get("method", "get").lower()))
            self._submit_taken = False
        elif self.forms:
            self._field(tag, values)

    def _field(self, tag: str, values: dict[str, str]) -> None:
        form, name = self.forms[-1], values.get("name", "")
        if tag == "input" and name:
            self._input(form, name, values)
        elif tag == "textarea" and name:
            self._textarea = name
            form.fields[name] = ""
        elif tag == "select" and name:
            self._select, self._select_value = name, None
        elif tag == "option" and self._select:
            value = values.get("value", "")
            if self._select_value is None or "selected" in values:
                self._select_value = value

    def _input(self, form: Form, name: str, values: dict[str, str]) -> None:
        kind = values.get("type", "text").lower()
        if kind in {"checkbox", "radio"}:
            if "checked" in values:
                form.fields[name] = values.get("value", "on")
        elif kind in {"submit", "button", "image", "reset", "file"}:
            if kind == "submit" and not self._submit_taken:
                form.fields[name] = values.get("value", "")
                self._submit_taken = True
        else:
            form.fields[name] = values.get("value", "")
            if kind == "password":
                form.password_field = form.password_field or name
            elif "user" in name.lower() or kind == "email":
                form.username_field = form.username_field or name

    def handle_data(self, data: str) -> None:
        if self._textarea and self.forms:
            self.forms[-1].fields[self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None
        elif tag == "select" and self._select and self.forms:
            self.forms[-1].fields[self._select] = self._select_value or ""
            self._select = None


def parse_forms(html: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(html)
    return [form for form in parser.forms if form.method == "post"]


class Browser:
    """A client that keeps cookies by hand, follows no redirects, and says where it came from."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, **kwargs: object) -> httpx.Response:
        url = urljoin(self.base_url, path)
        headers: dict[str, str] = {"Origin": self.base_url, "Referer": url}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        response = httpx.request(method, url, headers=headers, timeout=30, **kwargs)  # type: ignore[arg-type]
        for cookie in response.headers.get_list("set-cookie"):
            name, _, rest = cookie.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response

    def form(self, path: str, *, field: str | None = None) -> tuple[Form, str]:
        """The page's POST form with `field` (or with a password field) and where it posts to.

        Pages hold other POST forms too (a log-out button in the header).
        """
        response = self.request("GET", path)
        assert response.status_code == 200, (path, response.status_code, response.text[:300])
        forms = parse_forms(response.text)
        wanted = [
            form
            for form in forms
            if (field in form.fields if field else form.password_field is not None)
        ]
        assert wanted, f"no POST form with {field or 'a password'} on {path}: {forms}"
        form = wanted[0]
        target = urljoin(str(response.url), form.action) if form.action else str(response.url)
        return form, target

    def post(self, target: str, fields: dict[str, str]) -> httpx.Response:
        return self.request("POST", target, data=fields)

    def log_in(self, path: str, username: str, password: str) -> httpx.Response:
        form, target = self.form(path)
        assert form.username_field, (path, form.fields)
        assert form.password_field, (path, form.fields)
        fields = {**form.fields, form.username_field: username, form.password_field: password}
        return self.post(target, fields)
