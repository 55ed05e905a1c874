from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from ..articles.models import TITLE_MAX_LENGTH


class ArticleForm(FlaskForm):  # type: ignore[misc]
    title = StringField("Title", validators=[DataRequired(), Length(max=TITLE_MAX_LENGTH)])
    content = TextAreaField("Content", validators=[DataRequired(), Length(max=100_000)])
    published = BooleanField("Publish now")
