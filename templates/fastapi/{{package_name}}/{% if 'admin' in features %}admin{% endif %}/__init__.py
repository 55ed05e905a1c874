"""The admin site (SQLAdmin) at /admin: staff users only, throttled sign-in, CSRF tokens."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

from fastapi import FastAPI
from sqladmin import Admin, ModelView
from sqladmin.authentication import AuthenticationBackend
from starlette.requests import Request
from starlette.responses import Response
from wtforms import Field, ValidationError

from .. import __title__
from ..articles.models import Article
from ..csrf import csrf_input, csrf_token, require_csrf_token
from ..dependencies import client_address
from ..fields import storable_text
from ..resources import Resources
from ..users.errors import InvalidCredentials
from ..users.models import User
from ..users.services import authenticate

ADMIN_URL = "/admin"
SESSION_KEY = "admin_user_id"
TEMPLATES = Path(__file__).parent / "templates"


class StaffOnlyAuthentication(AuthenticationBackend):
    """Signs in active staff users with their password; a session cookie keeps them in."""

    def __init__(self, resources: Resources) -> None:
        settings = resources.settings
        super().__init__(
            secret_key=settings.secret_key, https_only=settings.is_production, same_site="strict"
        )
        self.resources = resources

    async def login(self, request: Request) -> bool:
        form = await request.form()
        username, password = str(form.get("username", "")), str(form.get("password", ""))
        async with self.resources.sessionmaker() as session:
            try:
                user = await authenticate(
                    session=session,
                    username=username,
                    password=password,
                    passwords=self.resources.passwords,
                )
            except InvalidCredentials:
                return False
        if not user.is_staff:
            return False
        request.session.update({SESSION_KEY: user.id})
        return True

    async def logout(self, request: Request) -> bool:
        request.session.clear()
        return True

    async def authenticate(self, request: Request) -> bool:
        user_id = request.session.get(SESSION_KEY)
        if not isinstance(user_id, int):
            return False
        async with self.resources.sessionmaker() as session:
            user = await session.get(User, user_id)
        return user is not None and user.is_active and user.is_staff


class ProtectedAdmin(Admin):
    """SQLAdmin whose state-changing routes check a CSRF token and whose sign-in is throttled."""

    def __init__(self, app: FastAPI, resources: Resources, **options: Any) -> None:
        super().__init__(app, **options)
        self.resources = resources
        self.templates.env.globals.update(csrf_token=csrf_token, csrf_input=csrf_input)

    async def login(self, request: Request) -> Response:
        await require_csrf_token(request)
        if request.method != "POST":
            return await super().login(request)
        username = str((await request.form()).get("username", ""))
        throttle, client = self.resources.login_throttle, client_address(request)
        # The attempt is counted before the password is checked: see users/throttle.py.
        wait = await throttle.attempt(username=username, client=client)
        if wait is not None:
            return await self._too_many_attempts(request, wait)
        response = await super().login(request)
        if response.status_code == 302:
            await throttle.reset(username=username, client=client)
        return response

    async def _too_many_attempts(self, request: Request, wait: int) -> Response:
        minutes = max(1, round(wait / 60))
        context = {"error": f"Too many failed sign-ins. Wait {minutes} min and try again."}
        response: Response = await self.templates.TemplateResponse(
            request, "sqladmin/login.html", context, status_code=429
        )
        response.headers["Retry-After"] = str(wait)
        return response

    async def create(self, request: Request) -> Response:
        await require_csrf_token(request)
        return cast(Response, await super().create(request))

    async def edit(self, request: Request) -> Response:
        await require_csrf_token(request)
        return cast(Response, await super().edit(request))

    async def delete(self, request: Request) -> Response:
        await require_csrf_token(request)
        return cast(Response, await super().delete(request))

    async def import_endpoint(self, request: Request) -> Response:
        await require_csrf_token(request)
        return cast(Response, await super().import_endpoint(request))


def storable(_form: object, field: Field) -> None:
    """A form field's text must be storable, as in the API (NUL, lone surrogates: refused)."""
    try:
        storable_text(str(field.data or ""))
    except ValueError as error:
        raise ValidationError(str(error)) from None


STORABLE = {"validators": [storable]}


class UserAdmin(ModelView, model=User):
    column_list = [User.id, User.username, User.email, User.is_staff, User.date_joined]
    column_searchable_list = [User.username, User.email]
    column_details_exclude_list = [User.hashed_password]
    form_columns = [User.email, User.is_active, User.is_staff, User.is_superuser]
    form_args = {"email": STORABLE}
    # Accounts are created through the API or `make staff` (passwords get hashed).
    can_create = False
    icon = "fa-solid fa-user"


class ArticleAdmin(ModelView, model=Article):
    column_list = [Article.id, Article.title, Article.slug, Article.published, Article.created_at]
    column_searchable_list = [Article.title, Article.slug]
    column_default_sort = [(Article.created_at, True)]
    form_columns = [Article.title, Article.content, Article.published]
    form_args = {"title": STORABLE, "content": STORABLE}
    can_create = False
    icon = "fa-solid fa-newspaper"


def install(app: FastAPI, resources: Resources) -> None:
    admin = ProtectedAdmin(
        app,
        resources,
        session_maker=resources.sessionmaker,
        base_url=ADMIN_URL,
        title=f"{__title__} admin",
        templates_dir=str(TEMPLATES),
        authentication_backend=StaffOnlyAuthentication(resources),
    )
    admin.add_view(UserAdmin)
    admin.add_view(ArticleAdmin)
    app.state.admin = admin  # for the views of optional features installed after it
