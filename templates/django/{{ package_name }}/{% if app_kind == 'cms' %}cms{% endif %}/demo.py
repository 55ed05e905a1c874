"""A first article of the content site, for `make demo` to load (cms.management.commands.demo)."""

from __future__ import annotations

from wagtail.rich_text import RichText

from .models import ArticleIndexPage, ArticlePage

DEMO_SLUG = "welcome"


def load_demo_article() -> ArticlePage | None:
    """The demo article, published under the first article index; None without an index."""
    existing: ArticlePage | None = ArticlePage.objects.filter(slug=DEMO_SLUG).first()
    if existing is not None:
        return existing
    index = ArticleIndexPage.objects.order_by("path").first()
    if index is None:
        return None
    article = ArticlePage(
        title="Welcome to the content site",
        slug=DEMO_SLUG,
        intro="Editors write pages like this one in the admin at /cms/.",
        body=[
            ("heading", "Pages, blocks and images"),
            (
                "paragraph",
                RichText(
                    "<p>The body is a stream of blocks: headings, paragraphs, images "
                    "and quotes, in any order.</p>"
                ),
            ),
            ("quote", "Content is what the site is for."),
        ],
    )
    index.add_child(instance=article)
    article.save_revision().publish()
    return article
