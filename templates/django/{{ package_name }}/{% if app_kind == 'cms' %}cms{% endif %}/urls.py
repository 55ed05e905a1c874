"""The content site's paths; config.urls mounts them last, as Wagtail's pages catch all."""

from __future__ import annotations

from django.conf import settings
from django.conf.urls.static import static
from django.urls import URLPattern, URLResolver, include, path
from wagtail import urls as wagtail_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtail_documents_urls

from . import views
from .security import SITE_POLICY, with_policy

urlpatterns: list[URLPattern | URLResolver] = [
    path("search", with_policy(views.search, SITE_POLICY), name="search"),
    path("sitemap.xml", sitemap, name="sitemap"),
    # Documents linked from pages, served as downloads by Wagtail (it checks their privacy).
    path("documents/", include(wagtail_documents_urls)),
    # Uploaded images from MEDIA_ROOT, by the development server only (static() is empty
    # unless DEBUG); in production the web server or an object store serves them.
    *static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT),
    # Last: every other path is a page of the site (or its 404).
    path("", include(wagtail_urls)),
]
