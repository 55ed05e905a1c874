from __future__ import annotations

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

from ..about import PROJECT_NAME
from ..articles.errors import ArticleNotFound
from ..articles.services import create_article, get_article, list_articles
from ..web_login import LoginForm, LoginRefused, log_in, log_out, login_page, session_user
from .forms import ArticleForm

blp = Blueprint("pages", __name__, template_folder="templates")
PAGE_SIZE = 10


@blp.app_context_processor
def _page_globals() -> dict[str, object]:
    return {
        "site_name": PROJECT_NAME,
        "viewer": session_user(),
        "logout_form": FlaskForm(),
        # Scripts other parts of the application add to every page (their own, no CDN).
        "page_scripts": current_app.extensions.get("page_scripts", ()),
    }


@blp.get("/")
def index() -> str:
    viewer = session_user()
    page_number = request.args.get("page", 1, type=int) or 1
    page = list_articles(
        viewer_id=viewer.id if viewer else None, page=max(page_number, 1), page_size=PAGE_SIZE
    )
    return render_template("pages/index.html", page=page)


@blp.get("/articles/<slug>")
def article(slug: str) -> str:
    viewer = session_user()
    try:
        found = get_article(slug=slug, viewer_id=viewer.id if viewer else None)
    except ArticleNotFound:
        abort(404)
    return render_template("pages/article.html", article=found)


@blp.route("/login", methods=["GET", "POST"])
def login() -> Response:
    form = LoginForm()
    refusal = None
    if form.validate_on_submit():
        try:
            log_in(username=form.username.data, password=form.password.data)
        except LoginRefused as error:
            refusal = error
            flash(str(error), "error")
        else:
            return redirect(url_for("pages.index"))
    return login_page("pages/login.html", refusal, form=form)


@blp.post("/logout")
def logout() -> Response:
    if FlaskForm().validate_on_submit():
        log_out()
    return redirect(url_for("pages.index"))


@blp.route("/write", methods=["GET", "POST"])
def write() -> str | Response:
    author = session_user()
    if author is None:
        return redirect(url_for("pages.login"))
    form = ArticleForm()
    if form.validate_on_submit():
        created = create_article(
            author=author,
            title=form.title.data,
            content=form.content.data,
            published=form.published.data,
        )
        return redirect(url_for("pages.article", slug=created.slug))
    return render_template("pages/write.html", form=form)
