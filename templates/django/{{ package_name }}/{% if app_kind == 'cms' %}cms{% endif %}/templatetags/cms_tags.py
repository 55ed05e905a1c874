"""The site's menu: the live pages under the home page that editors put in menus."""

from __future__ import annotations

from typing import Any

from django import template
from django.http import HttpRequest
from wagtail.models import Page, Site

register = template.Library()


@register.simple_tag(takes_context=True)
def menu_pages(context: dict[str, Any]) -> list[Page]:
    request: HttpRequest = context["request"]
    site = Site.find_for_request(request)
    return [] if site is None else list(site.root_page.get_children().live().public().in_menu())
