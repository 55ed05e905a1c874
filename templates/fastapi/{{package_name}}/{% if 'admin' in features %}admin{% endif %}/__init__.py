"""The admin site (SQLAdmin) at /admin: staff users only."""

from __future__ import annotations

from fastapi import FastAPI
from sqladmin import Admin, ModelView
from sqladmin.authentication import AuthenticationBackend
from starlette.requests import Request

from . import __title__
from .articles.models import Article
from .resources import Resources
from .users.errors import InvalidCredentials
from .users.models import User
from .users.services import authenticate

ADMIN_URL = "/admin"
SESSION_KEY = "admin_user_id"


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
        client = f"admin:{request.client.host if request.client else 'unknown'}"
        throttle = self.resources.login_throttle
        if await throttle.retry_after(username=username, client=client) is not None:
            return False
        async with self.resources.sessionmaker() as session:
            try:
                user = await authenticate(
                    session=session,
                    username=username,
                    password=password,
                    passwords=self.resources.passwords,
                )
            except InvalidCredentials:
                user = None
        if user is None or not user.is_staff:
            await throttle.record_failure(username=username, client=client)
            return False
        await throttle.reset(username=username, client=client)
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


class UserAdmin(ModelView, model=User):
    column_list = [User.id, User.username, User.email, User.is_staff, User.date_joined]
    column_searchable_list = [User.username, User.email]
    column_details_exclude_list = [User.hashed_password]
    form_columns = [User.email, User.is_active, User.is_staff, User.is_superuser]
    # Accounts are created through the API or the create-admin command (passwords get hashed).
    can_create = False
    icon = "fa-solid fa-user"


class ArticleAdmin(ModelView, model=Article):
    column_list = [Article.id, Article.title, Article.slug, Article.published, Article.created_at]
    column_searchable_list = [Article.title, Article.slug]
    column_default_sort = [(Article.created_at, True)]
    form_columns = [Article.title, Article.content, Article.published]
    can_create = False
    icon = "fa-solid fa-newspaper"


def install(app: FastAPI, resources: Resources) -> None:
    admin = Admin(
        app,
        session_maker=resources.sessionmaker,
        base_url=ADMIN_URL,
        title=f"{__title__} admin",
        authentication_backend=StaffOnlyAuthentication(resources),
    )
    admin.add_view(UserAdmin)
    admin.add_view(ArticleAdmin)
