# A campaign's and a topic's slug in each language (modeltranslation's slug_en, slug_fr), and
# the old addresses per language. Both languages' slugs start as the one slug they shared, and
# each old address is kept in both languages: every address answers as before, until staff
# write a French slug. Nothing is translated here.

from django.db import migrations, models
from django.db.models import F
from django.db.models.functions import Coalesce

SLUG_HELP = (
    "The end of its address in this language. Left empty, the first language's. A changed slug "
    "leaves the old address leading to the new one."
)


def slugs_in_every_language(apps, schema_editor):
    for name in ("Campaign", "Topic"):
        apps.get_model("releases", name).objects.update(slug_en=F("slug"), slug_fr=F("slug"))
    FormerSlug = apps.get_model("releases", "FormerSlug")
    FormerSlug.objects.bulk_create(
        [
            FormerSlug(kind=old.kind, language="fr", slug=old.slug, object_id=old.object_id)
            for old in FormerSlug.objects.filter(language="en")
        ]
    )


def one_slug_again(apps, schema_editor):
    """Back to one slug: the English one (or the shared one a row inserted in bulk kept, as
    0037 goes back), and the English old addresses."""
    for name in ("Campaign", "Topic"):
        apps.get_model("releases", name).objects.update(slug=Coalesce("slug_en", "slug"))
    apps.get_model("releases", "FormerSlug").objects.exclude(language="en").delete()


class Migration(migrations.Migration):

    dependencies = [
        ('releases', '0035_organisation_colours'),
    ]

    operations = [
        migrations.AddField(
            model_name='campaign',
            name='slug_en',
            field=models.SlugField(help_text=SLUG_HELP, max_length=200, null=True, verbose_name='slug'),
        ),
        migrations.AddField(
            model_name='campaign',
            name='slug_fr',
            field=models.SlugField(help_text=SLUG_HELP, max_length=200, null=True, verbose_name='slug'),
        ),
        migrations.AddField(
            model_name='topic',
            name='slug_en',
            field=models.SlugField(help_text=SLUG_HELP, max_length=100, null=True, verbose_name='slug'),
        ),
        migrations.AddField(
            model_name='topic',
            name='slug_fr',
            field=models.SlugField(help_text=SLUG_HELP, max_length=100, null=True, verbose_name='slug'),
        ),
        migrations.RemoveConstraint(
            model_name='formerslug',
            name='former_slug_unique',
        ),
        # The rows made before were the old addresses in every language: English, then copied.
        migrations.AddField(
            model_name='formerslug',
            name='language',
            field=models.CharField(choices=[('en', 'English'), ('fr', 'French')], default='en', max_length=5, verbose_name='language'),
            preserve_default=False,
        ),
        migrations.RunPython(slugs_in_every_language, one_slug_again),
    ]
