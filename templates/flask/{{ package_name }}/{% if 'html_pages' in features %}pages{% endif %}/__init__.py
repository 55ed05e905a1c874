"""Server-rendered pages: the article list, an article, sign in, write an article."""

from flask import Flask

from .. import web_login
from .routes import blp


def init_app(app: Flask) -> None:
    web_login.init_app(app)
    app.register_blueprint(blp)
