"""The site root: a home page at /, an article index under it, and the site that serves them.

It replaces the placeholder page that Wagtail's own first migrations create, so that a
freshly migrated database shows the home page at / (and never "no site").
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.db import migrations
from django.utils import timezone

HOME_PATH = "00010001"
INDEX_PATH = HOME_PATH + "0001"


def create_site_root(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    HomePage = apps.get_model("cms", "HomePage")
    ArticleIndexPage = apps.get_model("cms", "ArticleIndexPage")

    placeholder = ContentType.objects.get(app_label="wagtailcore", model="page")
    Page.objects.filter(content_type=placeholder, depth=2, path=HOME_PATH).delete()
    if Page.objects.filter(depth=2).exists():
        return  # the database has a site of its own already
    root = Page.objects.get(depth=1)
    now = timezone.now()
    published = {"live": True, "first_published_at": now, "last_published_at": now}
    home = HomePage.objects.create(
        title="Home",
        draft_title="Home",
        slug="home",
        content_type=content_type(ContentType, "homepage"),
        path=HOME_PATH,
        depth=2,
        numchild=1,
        url_path="/home/",
        locale_id=root.locale_id,
        **published,
    )
    ArticleIndexPage.objects.create(
        title="Blog",
        draft_title="Blog",
        slug="blog",
        content_type=content_type(ContentType, "articleindexpage"),
        path=INDEX_PATH,
        depth=3,
        numchild=0,
        url_path="/home/blog/",
        show_in_menus=True,
        locale_id=root.locale_id,
        **published,
    )
    Page.objects.filter(pk=root.pk).update(numchild=Page.objects.filter(depth=2).count())
    address = urlsplit(settings.SITE_URL)
    Site.objects.create(
        hostname=address.hostname or "localhost",
        port=address.port or (443 if address.scheme == "https" else 80),
        site_name=settings.WAGTAIL_SITE_NAME,
        root_page_id=home.pk,
        is_default_site=True,
    )


def content_type(ContentType, model):
    found, _ = ContentType.objects.get_or_create(app_label="cms", model=model)
    return found


def remove_site_root(apps, schema_editor):
    apps.get_model("cms", "ArticleIndexPage").objects.filter(path=INDEX_PATH).delete()
    apps.get_model("cms", "HomePage").objects.filter(path=HOME_PATH).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_site_root, remove_site_root),
    ]
