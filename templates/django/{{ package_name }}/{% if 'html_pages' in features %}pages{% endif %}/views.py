"""Server-rendered pages over the same services as the API."""

from __future__ import annotations

from django.contrib import auth, messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from ..articles import services
from ..articles.errors import ArticleNotFound, NotArticleAuthor
from ..articles.models import Article
from ..users import account_tokens
from ..users import services as accounts
from ..users.errors import EmailTaken, InvalidToken, UsernameTaken
from ..users.forms import LoginThrottled
from ..users.models import User
from ..users.throttle import password_reset_throttle
from .forms import ArticleForm, ForgotPasswordForm, RegisterForm, ResetPasswordForm, TokenForm

PAGE_SIZE = 10
REGISTERED = "Check your email to verify your address."
VERIFIED = "Your email address is verified."
LOGGED_OUT = "You have been logged out."
RESET_SENT = "If the address is registered, a reset link has been sent."
PASSWORD_RESET = "Your password has been reset. Log in with the new password."
BAD_LINK = "This link is invalid, used or expired. Ask for a new one."
FORM_METHODS = require_http_methods(["GET", "POST"])


def current_user(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


def signed_in_user(request: HttpRequest) -> User:
    """The user of a view behind login_required."""
    user = current_user(request)
    if user is None:  # pragma: no cover  (login_required redirects first)
        raise PermissionDenied
    return user


def article_list(request: HttpRequest) -> HttpResponse:
    articles = services.list_articles(
        viewer=current_user(request), search=request.GET.get("search") or None
    )
    page = Paginator(articles, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "search": request.GET.get("search", "")}
    return render(request, "pages/article_list.html", context)


def visible_article(request: HttpRequest, slug: str) -> Article:
    try:
        return services.get_article(slug=slug, viewer=current_user(request))
    except ArticleNotFound:
        raise Http404("No such article") from None


def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    article = visible_article(request, slug)
    is_author = article.author_id == getattr(current_user(request), "pk", None)
    context = {"article": article, "is_author": is_author}
    return render(request, "pages/article_detail.html", context)


@login_required
@FORM_METHODS
def article_new(request: HttpRequest) -> HttpResponse:
    form = ArticleForm(request.POST if request.method == "POST" else None)
    if not form.is_valid():
        return render(request, "pages/article_form.html", {"form": form, "article": None})
    article = services.create_article(author=signed_in_user(request), **form.cleaned_data)
    return redirect("pages:article-detail", slug=article.slug)


@login_required
@FORM_METHODS
def article_edit(request: HttpRequest, slug: str) -> HttpResponse:
    article = visible_article(request, slug)
    if article.author_id != signed_in_user(request).pk:
        raise PermissionDenied
    initial = {"title": article.title, "content": article.content, "published": article.published}
    form = ArticleForm(request.POST if request.method == "POST" else None, initial=initial)
    if not form.is_valid():
        return render(request, "pages/article_form.html", {"form": form, "article": article})
    try:
        services.update_article(
            slug=slug, editor=signed_in_user(request), changes=form.cleaned_data
        )
    except (ArticleNotFound, NotArticleAuthor):  # deleted or changed hands meanwhile
        raise Http404("No such article") from None
    return redirect("pages:article-detail", slug=slug)


@FORM_METHODS
def register(request: HttpRequest) -> HttpResponse:
    form = RegisterForm(request.POST if request.method == "POST" else None)
    if not form.is_valid():
        return render(request, "pages/register.html", {"form": form})
    try:
        user = accounts.register_user(**form.cleaned_data)
    except (UsernameTaken, EmailTaken) as taken:
        field = "username" if isinstance(taken, UsernameTaken) else "email"
        form.add_error(field, f"That {field} is already registered.")
        return render(request, "pages/register.html", {"form": form})
    auth.login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(request, REGISTERED)
    return redirect("pages:article-list")


class LogoutView(auth_views.LogoutView):
    """Django's logout (POST only), then a message on the page it lands on."""

    def post(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        messages.success(request, LOGGED_OUT)
        return response


@FORM_METHODS
def forgot_password(request: HttpRequest) -> HttpResponse:
    form = ForgotPasswordForm(request.POST if request.method == "POST" else None)
    if not form.is_valid():
        return render(request, "pages/forgot_password.html", {"form": form})
    email = form.cleaned_data["email"]
    throttle = password_reset_throttle(email=email, client_ip=request.META["REMOTE_ADDR"])
    if (wait := throttle.attempt()) is not None:
        raise LoginThrottled(wait)  # users.middleware answers 429 with its page
    account_tokens.send_password_reset(email=email)
    messages.success(request, RESET_SENT)
    return redirect("pages:login")


def token_form(request: HttpRequest, form_class: type[TokenForm]) -> TokenForm:
    """GET shows the form with the link's token (GET never uses it: mail scanners follow links)."""
    if request.method == "POST":
        return form_class(request.POST)
    return form_class(initial={"token": request.GET.get("token", "")})


@FORM_METHODS
def reset_password(request: HttpRequest) -> HttpResponse:
    form = token_form(request, ResetPasswordForm)
    if request.method == "GET" or not form.is_valid():
        return render(request, "pages/reset_password.html", {"form": form})
    try:
        account_tokens.reset_password(**form.cleaned_data)
    except InvalidToken:
        form.add_error(None, BAD_LINK)
        return render(request, "pages/reset_password.html", {"form": form}, status=400)
    except ValidationError as error:
        form.add_error("password", error)
        return render(request, "pages/reset_password.html", {"form": form})
    messages.success(request, PASSWORD_RESET)
    return redirect("pages:login")


@FORM_METHODS
def verify_email(request: HttpRequest) -> HttpResponse:
    form = token_form(request, TokenForm)
    if request.method == "GET" or not form.is_valid():
        return render(request, "pages/verify_email.html", {"form": form})
    try:
        account_tokens.verify_email(token=form.cleaned_data["token"])
    except InvalidToken:
        form.add_error(None, BAD_LINK)
        return render(request, "pages/verify_email.html", {"form": form}, status=400)
    messages.success(request, VERIFIED)
    return redirect("pages:article-list")
