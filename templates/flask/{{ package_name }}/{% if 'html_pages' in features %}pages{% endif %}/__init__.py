"""Server-rendered pages: the article list, an article, sign in, write an article."""

from flask import Flask

from .routes import blp


def init_app(app: Flask) -> None:
    app.register_blueprint(blp)
