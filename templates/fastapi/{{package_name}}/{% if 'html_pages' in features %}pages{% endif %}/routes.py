"""Server-rendered pages over the same services as the API: articles and the account lifecycle."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from ..articles import services
from ..articles.errors import ArticleNotFound, NotArticleAuthor
from ..articles.models import Article
from ..articles.schemas import ArticleCreate, ArticleFilters, ArticleUpdate, SearchTerm
from ..csrf import csrf_input, require_csrf_token
from ..dependencies import ResourcesDep, SessionDep, client_address
from ..resources import Resources
from ..users import account_tokens
from ..users import services as accounts
from ..users.errors import (
    EmailTaken,
    InvalidAccountToken,
    InvalidCredentials,
    PasswordLikeUsername,
    UsernameTaken,
)
from ..users.models import User
from ..users.schemas import PasswordResetConfirm, PasswordResetRequest, UserCreate
from .forms import FormErrors, form_fields, validated
from .sessions import flash, pop_flashes, sign_in, sign_out, signed_in_user

PAGE_SIZE = 10
REGISTERED = "Check your email to verify your address."
VERIFIED = "Your email address is verified."
LOGGED_OUT = "You have been logged out."
RESET_SENT = "If the address is registered, a reset link has been sent."
PASSWORD_RESET = "Your password has been reset. Log in with the new password."
BAD_LINK = "This link is invalid, used or expired. Ask for a new one."
WRONG_LOGIN = (
    "Please enter a correct username and password. Note that both fields may be case-sensitive."
)
# The pages load nothing but this service's own files, so they can forbid everything else.
CONTENT_SECURITY_POLICY = "default-src 'self'; frame-ancestors 'none'; form-action 'self'"

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
templates.env.globals["csrf_input"] = csrf_input
# Scripts every page loads; optional features add theirs.
templates.env.globals["page_scripts"] = []


async def current_user(
    request: Request, session: SessionDep, resources: ResourcesDep
) -> User | None:
    return await signed_in_user(request, session, secret_key=resources.settings.secret_key)


PageUser = Annotated[User | None, Depends(current_user)]


def page(
    request: Request,
    name: str,
    user: User | None,
    context: dict[str, Any] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    context = {"user": user, "messages": pop_flashes(request), **(context or {})}
    response = templates.TemplateResponse(request, name, context, status_code)
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    return response


def redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def to_login(request: Request) -> RedirectResponse:
    return redirect(f"/login?next={quote(request.url.path)}")


def safe_next(url: str) -> str:
    """Where to go after signing in: a path on this site, never another site."""
    if url.startswith("/") and not url.startswith("//") and "\\" not in url:
        return url
    return "/"


# --- Articles


@router.get("/", name="pages:article_list")
async def article_list(
    request: Request,
    session: SessionDep,
    user: PageUser,
    page_number: Annotated[int, Query(alias="page", ge=1)] = 1,
    search: Annotated[SearchTerm, Query()] = "",
) -> HTMLResponse:
    articles, count = await services.list_articles(
        session=session,
        viewer=user,
        filters=ArticleFilters(search=search or None),
        offset=(page_number - 1) * PAGE_SIZE,
        limit=PAGE_SIZE,
    )
    context = {
        "articles": articles,
        "page": page_number,
        "pages": max(1, -(-count // PAGE_SIZE)),
        "search": search,
        "has_next": page_number * PAGE_SIZE < count,
        "has_previous": page_number > 1,
    }
    status_code = 404 if page_number > 1 and not articles else 200
    return page(request, "article_list.html", user, context, status_code)


@router.api_route("/articles/new", methods=["GET", "POST"], name="pages:article_new")
async def article_new(request: Request, session: SessionDep, user: PageUser) -> Response:
    if user is None:
        return to_login(request)
    if request.method == "GET":
        return article_form(request, user, None, {"published": ""})
    await require_csrf_token(request)
    fields = await form_fields(request, "title", "content", "published")
    try:
        data = validated(ArticleCreate, {**fields, "published": bool(fields["published"])})
    except FormErrors as problem:
        return article_form(request, user, None, fields, problem.errors)
    article = await services.create_article(session=session, author=user, data=data)
    return redirect(str(request.url_for("pages:article_detail", slug=article.slug)))


@router.get("/articles/{slug}", name="pages:article_detail")
async def article_detail(
    request: Request, slug: str, session: SessionDep, user: PageUser
) -> HTMLResponse:
    try:
        article = await services.get_article(session=session, slug=slug, viewer=user)
    except ArticleNotFound:
        return page(request, "not_found.html", user, status_code=404)
    is_author = user is not None and article.author_id == user.id
    return page(request, "article_detail.html", user, {"article": article, "is_author": is_author})


@router.api_route("/articles/{slug}/edit", methods=["GET", "POST"], name="pages:article_edit")
async def article_edit(
    request: Request, slug: str, session: SessionDep, user: PageUser
) -> Response:
    if user is None:
        return to_login(request)
    try:
        article = await services.get_article(session=session, slug=slug, viewer=user)
    except ArticleNotFound:
        return page(request, "not_found.html", user, status_code=404)
    if article.author_id != user.id:
        return page(request, "forbidden.html", user, status_code=403)
    if request.method == "GET":
        values = {name: getattr(article, name) for name in ("title", "content", "published")}
        return article_form(request, user, article, values)
    await require_csrf_token(request)
    fields = await form_fields(request, "title", "content", "published")
    try:
        data = validated(ArticleUpdate, {**fields, "published": bool(fields["published"])})
        await services.update_article(session=session, slug=slug, editor=user, data=data)
    except FormErrors as problem:
        return article_form(request, user, article, fields, problem.errors)
    except (ArticleNotFound, NotArticleAuthor):  # deleted or changed hands meanwhile
        return page(request, "not_found.html", user, status_code=404)
    return redirect(str(request.url_for("pages:article_detail", slug=slug)))


def article_form(
    request: Request,
    user: User,
    article: Article | None,
    values: dict[str, Any],
    errors: dict[str | None, str] | None = None,
) -> HTMLResponse:
    context = {"article": article, "values": values, "errors": errors or {}}
    return page(request, "article_form.html", user, context)


# --- Accounts


@router.api_route("/register", methods=["GET", "POST"], name="pages:register")
async def register(
    request: Request, session: SessionDep, resources: ResourcesDep, user: PageUser
) -> Response:
    if request.method == "GET":
        return form_page(request, "register.html", user)
    await require_csrf_token(request)
    fields = await form_fields(request, "username", "email", "password")
    try:
        data = validated(UserCreate, fields)
        new_user = await accounts.register_user(
            session=session, data=data, passwords=resources.passwords
        )
    except FormErrors as problem:
        return form_page(request, "register.html", user, fields, problem.errors)
    except (UsernameTaken, EmailTaken) as taken:
        field = "username" if isinstance(taken, UsernameTaken) else "email"
        errors: dict[str | None, str] = {field: f"That {field} is already registered."}
        return form_page(request, "register.html", user, fields, errors)
    await account_tokens.send_verification(
        session=session, mailer=resources.mailer, links=links(resources), user=new_user
    )
    sign_in(request, new_user, secret_key=resources.settings.secret_key)
    flash(request, REGISTERED)
    return redirect(str(request.url_for("pages:article_list")))


@router.api_route("/login", methods=["GET", "POST"], name="pages:login")
async def login(
    request: Request,
    session: SessionDep,
    resources: ResourcesDep,
    user: PageUser,
    next_url: Annotated[str, Query(alias="next", max_length=2000)] = "/",
) -> Response:
    if request.method == "GET":
        return form_page(request, "login.html", user, {"next": next_url})
    await require_csrf_token(request)
    fields = await form_fields(request, "username", "password", "next")
    throttle, client = resources.login_throttle, client_address(request)
    # Counted before the password is checked, so that parallel guesses cannot outrun it.
    wait = await throttle.attempt(username=fields["username"], client=client)
    if wait is not None:
        return too_many_attempts(request, user, wait)
    try:
        signed_in = await accounts.authenticate(
            session=session,
            username=fields["username"],
            password=fields["password"],
            passwords=resources.passwords,
        )
    except InvalidCredentials:
        errors: dict[str | None, str] = {None: WRONG_LOGIN}
        return form_page(request, "login.html", user, fields, errors)
    await throttle.reset(username=fields["username"], client=client)
    sign_in(request, signed_in, secret_key=resources.settings.secret_key)
    return redirect(safe_next(fields["next"]))


@router.post("/logout", name="pages:logout")
async def logout(request: Request) -> Response:
    await require_csrf_token(request)
    sign_out(request)
    flash(request, LOGGED_OUT)
    return redirect(str(request.url_for("pages:article_list")))


@router.api_route("/forgot-password", methods=["GET", "POST"], name="pages:forgot_password")
async def forgot_password(
    request: Request, session: SessionDep, resources: ResourcesDep, user: PageUser
) -> Response:
    if request.method == "GET":
        return form_page(request, "forgot_password.html", user)
    await require_csrf_token(request)
    fields = await form_fields(request, "email")
    try:
        email = validated(PasswordResetRequest, fields).email
    except FormErrors as problem:
        return form_page(request, "forgot_password.html", user, fields, problem.errors)
    wait = await resources.reset_throttle.attempt(username=email, client=client_address(request))
    if wait is not None:
        return too_many_attempts(request, user, wait)
    await account_tokens.send_password_reset(
        session=session, mailer=resources.mailer, links=links(resources), email=email
    )
    flash(request, RESET_SENT)
    return redirect(str(request.url_for("pages:login")))


@router.api_route("/reset-password", methods=["GET", "POST"], name="pages:reset_password")
async def reset_password(
    request: Request,
    session: SessionDep,
    resources: ResourcesDep,
    user: PageUser,
    token: Annotated[str, Query(max_length=512)] = "",
) -> Response:
    # GET only shows the form: mail scanners follow links, and must not use the token.
    if request.method == "GET":
        return form_page(request, "reset_password.html", user, {"token": token})
    await require_csrf_token(request)
    fields = await form_fields(request, "token", "password")
    try:
        data = validated(PasswordResetConfirm, fields)
        await account_tokens.reset_password(
            session=session, passwords=resources.passwords, token=data.token, password=data.password
        )
    except FormErrors as problem:
        return form_page(request, "reset_password.html", user, fields, problem.errors)
    except PasswordLikeUsername as error:
        return form_page(request, "reset_password.html", user, fields, {"password": error.message})
    except InvalidAccountToken:
        errors: dict[str | None, str] = {None: BAD_LINK}
        return form_page(request, "reset_password.html", user, fields, errors, status_code=400)
    flash(request, PASSWORD_RESET)
    return redirect(str(request.url_for("pages:login")))


@router.api_route("/verify-email", methods=["GET", "POST"], name="pages:verify_email")
async def verify_email(
    request: Request,
    session: SessionDep,
    user: PageUser,
    token: Annotated[str, Query(max_length=512)] = "",
) -> Response:
    if request.method == "GET":
        return form_page(request, "verify_email.html", user, {"token": token})
    await require_csrf_token(request)
    fields = await form_fields(request, "token")
    try:
        await account_tokens.verify_email(session=session, token=fields["token"])
    except InvalidAccountToken:
        errors: dict[str | None, str] = {None: BAD_LINK}
        return form_page(request, "verify_email.html", user, fields, errors, status_code=400)
    flash(request, VERIFIED)
    return redirect(str(request.url_for("pages:article_list")))


def form_page(
    request: Request,
    name: str,
    user: User | None,
    values: dict[str, Any] | None = None,
    errors: dict[str | None, str] | None = None,
    *,
    status_code: int = 200,
) -> HTMLResponse:
    """A form page, with what was sent and what is wrong with it."""
    context = {"values": values or {}, "errors": errors or {}}
    return page(request, name, user, context, status_code)


def too_many_attempts(request: Request, user: User | None, wait: int) -> HTMLResponse:
    minutes = max(1, -(-wait // 60))
    response = page(request, "login_throttled.html", user, {"minutes": minutes}, 429)
    response.headers["Retry-After"] = str(wait)
    return response


def links(resources: Resources) -> account_tokens.Links:
    return account_tokens.Links.from_settings(resources.settings)
