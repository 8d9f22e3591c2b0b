"""Each dated release's body as readers see it, stored (releases.public.bodies). Created empty:
``manage.py render_bodies --outdated`` (run by ``make serve`` at start) fills it, and until
then every body is rendered when read, as before."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("releases", "0016_verdict_words_read"),
    ]

    operations = [
        migrations.CreateModel(
            name="RenderedBody",
            fields=[
                (
                    "release",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="rendered_body",
                        serialize=False,
                        to="releases.release",
                    ),
                ),
                ("html", models.TextField()),
                ("fingerprint", models.CharField(max_length=64)),
                ("renderer", models.CharField(max_length=64)),
            ],
            options={
                "verbose_name": "rendered body",
                "verbose_name_plural": "rendered bodies",
            },
        ),
    ]
