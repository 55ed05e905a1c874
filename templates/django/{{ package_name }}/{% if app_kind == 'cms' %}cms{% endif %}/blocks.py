"""What a page body is made of: headings, rich-text paragraphs, images and quotes."""

from __future__ import annotations

from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

# The rich-text features editors get: no embeds (they would load other hosts' content).
PARAGRAPH_FEATURES = ["h3", "h4", "bold", "italic", "link", "ol", "ul", "hr"]


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock()
    caption = blocks.CharBlock(required=False, max_length=250)

    class Meta:
        icon = "image"
        template = "cms/blocks/image.html"


class BodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(
        max_length=200, form_classname="title", template="cms/blocks/heading.html"
    )
    paragraph = blocks.RichTextBlock(features=PARAGRAPH_FEATURES)
    image = ImageBlock()
    quote = blocks.BlockQuoteBlock(template="cms/blocks/quote.html")
