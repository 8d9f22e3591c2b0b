"""Each release row holds a copy of the facet values it is counted by (``CountedRelease``):
a search reads them from the rows it found, where a lookup per match cost 12 ms of a common
word's 24 at 100,000 releases. Copied here once (one statement); kept after by the counts."""

from django.db import migrations, models

COPY = """
UPDATE releases_release SET counted_values = (
    SELECT counted."values" FROM releases_countedrelease AS counted
    WHERE counted.release_id = releases_release.id
)
"""


class Migration(migrations.Migration):
    dependencies = [("releases", "0021_release_slug_label")]

    operations = [
        migrations.AddField(
            model_name="release",
            name="counted_values",
            field=models.JSONField(editable=False, null=True),
        ),
        migrations.RunSQL(COPY, migrations.RunSQL.noop, elidable=False),
    ]
