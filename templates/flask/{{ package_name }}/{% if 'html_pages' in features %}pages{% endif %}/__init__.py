"""Server-rendered pages: articles (list, read, write, edit) and the account lifecycle."""

from flask import Flask

from .. import web_login
from .routes import blp


def init_app(app: Flask) -> None:
    web_login.init_app(app)
    app.register_blueprint(blp)
