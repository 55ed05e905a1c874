"""The service's code: one folder per feature (health, users, articles)."""

import django_stubs_ext
from rest_framework.fields import Field

# Lets the classes that the type stubs declare generic (ModelAdmin, QuerySet,
# serializers...) be subscripted at run time too: ModelAdmin[Article].
django_stubs_ext.monkeypatch(extra_classes=[Field])
