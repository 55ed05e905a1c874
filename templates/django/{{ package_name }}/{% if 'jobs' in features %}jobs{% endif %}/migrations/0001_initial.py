import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="AuthorStats",
            fields=[
                (
                    "author",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                ("article_count", models.IntegerField()),
                ("published_count", models.IntegerField()),
                ("refreshed_at", models.DateTimeField()),
            ],
            options={
                "verbose_name_plural": "author stats",
                "db_table": "author_stats",
            },
        ),
    ]
