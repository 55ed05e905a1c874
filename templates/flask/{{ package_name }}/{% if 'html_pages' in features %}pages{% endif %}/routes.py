"""Server-rendered pages over the same services as the API."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import wraps
from typing import ParamSpec, TypeVar
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from ..articles.errors import ArticleNotFound, NotArticleAuthor
from ..articles.models import Article
from ..articles.services import create_article, get_article, list_articles, update_article
from ..users import lifecycle
from ..users.errors import EmailTaken, InvalidAccountToken, PasswordLikeUsername, UsernameTaken
from ..users.models import User
from ..users.routes import mail_links
from ..users.services import register_user
from ..users.throttle import LoginThrottle
from ..web_login import (
    THROTTLED,
    LoginForm,
    LoginRefused,
    log_in,
    log_out,
    session_user,
    start_session,
)
from .forms import ArticleForm, ForgotPasswordForm, RegisterForm, ResetPasswordForm, TokenForm
from .security import strict_csp

PAGE_SIZE = 10
REGISTERED = "Check your email to verify your address."
VERIFIED = "Your email address is verified."
LOGGED_OUT = "You have been logged out."
RESET_SENT = "If the address is registered, a reset link has been sent."
PASSWORD_RESET = "Your password has been reset. Log in with the new password."
BAD_LINK = "This link is invalid, used or expired. Ask for a new one."
FORM_METHODS = ["GET", "POST"]

P = ParamSpec("P")
R = TypeVar("R")

blp = Blueprint(
    "pages",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/static/pages",
)
blp.after_request(strict_csp)


@blp.app_context_processor
def _page_globals() -> dict[str, object]:
    return {
        "viewer": session_user(),
        "logout_form": FlaskForm(),
        # Scripts other parts of the application add to every page (their own, no CDN).
        "page_scripts": current_app.extensions.get("page_scripts", ()),
    }


@blp.app_template_filter("day")
def _day(moment: datetime) -> str:
    return f"{moment.day} {moment:%b %Y}"


def _viewer_id() -> int | None:
    viewer = session_user()
    return viewer.id if viewer else None


def login_required(view: Callable[P, R]) -> Callable[P, R | Response]:
    """Anonymous visitors go to the login page, and come back here after it."""

    @wraps(view)
    def guarded(*args: P.args, **kwargs: P.kwargs) -> R | Response:
        if session_user() is None:
            return redirect(url_for("pages.login", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)

    return guarded


def signed_in_user() -> User:
    """The user of a view behind login_required."""
    user = session_user()
    if user is None:  # pragma: no cover  (login_required redirects first)
        abort(403)
    return user


@blp.get("/")
def article_list() -> str:
    search = request.args.get("search", "")
    number = max(request.args.get("page", 1, type=int) or 1, 1)
    page = list_articles(
        viewer_id=_viewer_id(), page=number, page_size=PAGE_SIZE, search=search or None
    )
    if page.is_past_the_end:
        page = list_articles(
            viewer_id=_viewer_id(),
            page=page.page_count,
            page_size=PAGE_SIZE,
            search=search or None,
        )
    return render_template("pages/article_list.html", page=page, search=search)


def _visible_article(slug: str) -> Article:
    try:
        return get_article(slug=slug, viewer_id=_viewer_id())
    except ArticleNotFound:
        abort(404)


@blp.get("/articles/<slug>")
def article_detail(slug: str) -> str:
    article = _visible_article(slug)
    is_author = article.author_id == _viewer_id()
    return render_template("pages/article_detail.html", article=article, is_author=is_author)


@blp.route("/articles/new", methods=FORM_METHODS)
@login_required
def article_new() -> str | Response:
    form = ArticleForm()
    if not form.validate_on_submit():
        return render_template("pages/article_form.html", form=form, article=None)
    article = create_article(
        author=signed_in_user(),
        title=form.title.data,
        content=form.content.data,
        published=form.published.data,
    )
    return redirect(url_for("pages.article_detail", slug=article.slug))


@blp.route("/articles/<slug>/edit", methods=FORM_METHODS)
@login_required
def article_edit(slug: str) -> str | Response:
    article = _visible_article(slug)
    if article.author_id != signed_in_user().id:
        abort(403)
    form = ArticleForm(obj=article)
    if not form.validate_on_submit():
        return render_template("pages/article_form.html", form=form, article=article)
    try:
        update_article(
            slug=slug,
            editor=signed_in_user(),
            title=form.title.data,
            content=form.content.data,
            published=form.published.data,
        )
    except (ArticleNotFound, NotArticleAuthor):  # deleted or changed hands meanwhile
        abort(404)
    return redirect(url_for("pages.article_detail", slug=slug))


@blp.route("/register", methods=FORM_METHODS)
def register() -> str | Response:
    form = RegisterForm()
    if not form.validate_on_submit():
        return render_template("pages/register.html", form=form)
    try:
        user = register_user(
            username=form.username.data, email=form.email.data, password=form.password.data
        )
    except (UsernameTaken, EmailTaken) as taken:
        field = form.username if isinstance(taken, UsernameTaken) else form.email
        field.errors.append(f"That {field.name} is already registered.")
        return render_template("pages/register.html", form=form)
    start_session(user)
    lifecycle.send_verification(user=user, links=mail_links())
    flash(REGISTERED, "success")
    return redirect(url_for("pages.article_list"))


@blp.route("/login", methods=FORM_METHODS)
def login() -> str | Response:
    form = LoginForm()
    if not form.validate_on_submit():
        return render_template("pages/login.html", form=form, next=_safe_next())
    try:
        log_in(username=form.username.data, password=form.password.data)
    except LoginRefused as refusal:
        form.form_errors.append(str(refusal))
        page = render_template("pages/login.html", form=form, next=_safe_next())
        return _refused(page, refusal.retry_after)
    return redirect(_safe_next() or url_for("pages.article_list"))


def _safe_next() -> str:
    """Where to go after the login: a path of this site only, never another host."""
    target = request.values.get("next", "")
    parts = urlsplit(target)
    if not target.startswith("/") or target.startswith("//") or parts.scheme or parts.netloc:
        return ""
    return "" if "\\" in target else target


def _refused(page: str, retry_after: int | None) -> Response:
    """The form again: 429 with Retry-After when a throttle said no, else 200."""
    response = Response(page, mimetype="text/html")
    if retry_after is not None:
        response.status_code = 429
        response.headers["Retry-After"] = str(retry_after)
    return response


@blp.post("/logout")
def logout() -> Response:
    log_out()  # the CSRF check (web_login) ran before this view
    flash(LOGGED_OUT, "success")
    return redirect(url_for("pages.article_list"))


@blp.route("/forgot-password", methods=FORM_METHODS)
def forgot_password() -> str | Response:
    form = ForgotPasswordForm()
    if not form.validate_on_submit():
        return render_template("pages/forgot_password.html", form=form)
    email = form.email.data
    throttle: LoginThrottle = current_app.extensions["reset_throttle"]
    retry_after = throttle.reserve(username=email, client_ip=request.remote_addr or "unknown")
    if retry_after is not None:
        form.form_errors.append(THROTTLED)
        return _refused(render_template("pages/forgot_password.html", form=form), retry_after)
    lifecycle.request_password_reset(email=email, links=mail_links())
    flash(RESET_SENT, "success")
    return redirect(url_for("pages.login"))


def _token_form(form_class: type[TokenForm]) -> TokenForm:
    """GET shows the form with the link's token (GET never uses it: mail scanners follow links)."""
    if request.method == "POST":
        return form_class()
    return form_class(formdata=None, token=request.args.get("token", ""))


@blp.route("/reset-password", methods=FORM_METHODS)
def reset_password() -> str | Response | tuple[str, int]:
    form = _token_form(ResetPasswordForm)
    if not form.validate_on_submit():
        return render_template("pages/reset_password.html", form=form)
    try:
        lifecycle.reset_password(token=form.token.data, password=form.password.data)
    except InvalidAccountToken:
        form.form_errors.append(BAD_LINK)
        return render_template("pages/reset_password.html", form=form), 400
    except PasswordLikeUsername as error:
        form.password.errors.append(error.message)
        return render_template("pages/reset_password.html", form=form)
    flash(PASSWORD_RESET, "success")
    return redirect(url_for("pages.login"))


@blp.route("/verify-email", methods=FORM_METHODS)
def verify_email() -> str | Response | tuple[str, int]:
    form = _token_form(TokenForm)
    if not form.validate_on_submit():
        return render_template("pages/verify_email.html", form=form)
    try:
        lifecycle.verify_email(token=form.token.data)
    except InvalidAccountToken:
        form.form_errors.append(BAD_LINK)
        return render_template("pages/verify_email.html", form=form), 400
    flash(VERIFIED, "success")
    return redirect(url_for("pages.article_list"))
