# Each language's slug is unique in its language (an English slug may be another's French
# one: two addresses); the shared column modeltranslation keeps is no longer an address.

from django.db import migrations, models
from django.db.models.functions import Coalesce

SLUG_HELP = (
    "The end of its address in this language. Left empty, the first language's. A changed slug "
    "leaves the old address leading to the new one."
)


def shared_slug_is_english(apps, schema_editor):
    """Before the shared column is unique again (going back): the English slugs (a row
    written without one, by a bulk insert, keeps its shared one)."""
    for name in ("Campaign", "Topic"):
        apps.get_model("releases", name).objects.update(slug=Coalesce("slug_en", "slug"))


class Migration(migrations.Migration):

    dependencies = [
        ('releases', '0036_slugs_per_language'),
    ]

    operations = [
        migrations.AlterField(
            model_name='campaign',
            name='slug',
            field=models.SlugField(help_text=SLUG_HELP, max_length=200, verbose_name='slug'),
        ),
        migrations.AlterField(
            model_name='topic',
            name='slug',
            field=models.SlugField(help_text=SLUG_HELP, max_length=100, verbose_name='slug'),
        ),
        migrations.AddConstraint(
            model_name='campaign',
            constraint=models.UniqueConstraint(fields=('slug_en',), name='campaign_slug_en_unique'),
        ),
        migrations.AddConstraint(
            model_name='campaign',
            constraint=models.UniqueConstraint(fields=('slug_fr',), name='campaign_slug_fr_unique'),
        ),
        migrations.AddConstraint(
            model_name='topic',
            constraint=models.UniqueConstraint(fields=('slug_en',), name='topic_slug_en_unique'),
        ),
        migrations.AddConstraint(
            model_name='topic',
            constraint=models.UniqueConstraint(fields=('slug_fr',), name='topic_slug_fr_unique'),
        ),
        migrations.AddConstraint(
            model_name='formerslug',
            constraint=models.UniqueConstraint(fields=('kind', 'language', 'slug'), name='former_slug_unique_in_language'),
        ),
        migrations.RunPython(migrations.RunPython.noop, shared_slug_is_english),
    ]
