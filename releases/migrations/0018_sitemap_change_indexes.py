"""The sitemaps' last modifications read from the top of an index: the newest public change
overall, and by campaign (releases/syndication/sitemaps.py)."""

from django.db import migrations, models
from django.db.models.functions import Coalesce


class Migration(migrations.Migration):
    dependencies = [
        ("releases", "0017_rendered_bodies"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="release",
            index=models.Index(
                models.OrderBy(Coalesce("updated_at", "publish_at"), descending=True),
                name="release_last_change_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="release",
            index=models.Index(
                models.F("campaign"),
                models.OrderBy(Coalesce("updated_at", "publish_at"), descending=True),
                name="release_campaign_change_idx",
            ),
        ),
    ]
