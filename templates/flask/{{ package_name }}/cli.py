"""The project's own commands: flask --app <package> createdb | demo | staff."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy import make_url

from .databases import (
    DatabaseUnavailable,
    create_missing_databases,
    database_url_for_tests,
    require_database,
)
from .settings import Settings

DEMO_PASSWORD = "demo-password"
DEMO_USERS = (("ada", "ada@example.com"), ("grace", "grace@example.com"))
DEMO_ARTICLES = (
    ("ada", "Notes on the Analytical Engine", "It might compose elaborate music.", True),
    ("ada", "A draft about Bernoulli numbers", "Only the author sees a draft.", False),
    ("grace", "The first actual bug", "A moth, taped into the log book.", True),
)
MIN_PASSWORD_LENGTH = 8


def init_app(app: Flask) -> None:
    for command in (createdb, demo, staff):
        app.cli.add_command(command)


def _settings() -> Settings:
    settings: Settings = current_app.extensions["settings"]
    return settings


@click.command()
@with_appcontext
def createdb() -> None:
    """Create the database DATABASE_URL names, and the test suite's, when missing."""
    settings = _settings()
    if not settings.sqlalchemy_url.startswith("postgresql"):
        click.echo("SQLite: nothing to create (make migrate creates the file)")
        return
    url = settings.sqlalchemy_url
    urls = list(dict.fromkeys([url, database_url_for_tests(url)]))
    try:
        created = create_missing_databases(urls, settings.db_timeout_seconds)
    except DatabaseUnavailable as error:
        raise SystemExit(str(error)) from None
    existing = [name for name in map(_database_name, urls) if name not in created]
    done = [f"created {', '.join(created)}"] if created else []
    done += [f"{', '.join(existing)} already there"] if existing else []
    click.echo(f"PostgreSQL databases: {'; '.join(done)}")


def _database_name(url: str) -> str:
    return make_url(url).database or ""


@click.command()
@with_appcontext
def demo() -> None:
    """Load demo users and articles (again and again: nothing is added twice)."""
    from .articles.models import Article
    from .articles.services import create_article
    from .extensions import db
    from .users.services import get_user_by_username, register_user

    require_database(_settings(), migrated=True)
    for username, email in DEMO_USERS:
        if get_user_by_username(username=username) is None:
            register_user(username=username, email=email, password=DEMO_PASSWORD)
    for username, title, content, published in DEMO_ARTICLES:
        if db.session.scalar(db.select(Article.id).where(Article.title == title)) is None:
            author = get_user_by_username(username=username)
            if author is not None:  # a demo user renamed since: skip its articles
                create_article(author=author, title=title, content=content, published=published)
    logins = ", ".join(f"{username} / {DEMO_PASSWORD}" for username, _ in DEMO_USERS)
    click.echo(f"Demo data loaded. Logins: {logins}")


@click.command()
@with_appcontext
@click.option("--username", required=True)
@click.option("--email", required=True)
@click.option("--password", required=True, envvar="PASSWORD", show_envvar=True)
def staff(username: str, email: str, password: str) -> None:
    """Create a staff account, or make an existing user staff (with this password)."""
    from .users.errors import EmailTaken, UsernameTaken
    from .users.services import make_staff

    if len(password) < MIN_PASSWORD_LENGTH or password == username:
        raise click.ClickException(
            f"PASSWORD must have {MIN_PASSWORD_LENGTH} characters or more and differ "
            "from the username"
        )
    require_database(_settings(), migrated=True)
    try:
        created = make_staff(username=username, email=email, password=password)
    except (UsernameTaken, EmailTaken) as error:
        raise click.ClickException(error.message) from None
    click.echo(f"Staff user {username} {'created' if created else 'promoted'}.")
