"""Editors manage the organisation's sharing image with the organisation; authors see it
(a model added after the groups)."""

from django.db import migrations

from releases.workflow.roles import sync_staff_groups_migration


class Migration(migrations.Migration):
    dependencies = [("releases", "0029_organisation_sharing_image")]

    operations = [migrations.RunPython(sync_staff_groups_migration, migrations.RunPython.noop)]
