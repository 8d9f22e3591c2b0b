"""Editors, who rename campaigns, topics and spokespeople, see and may remove the old
addresses' redirects (FormerSlug, added after the groups)."""

from django.db import migrations

from releases.workflow.roles import sync_staff_groups_migration


class Migration(migrations.Migration):
    dependencies = [("releases", "0023_short_columns_in_rows")]

    operations = [migrations.RunPython(sync_staff_groups_migration, migrations.RunPython.noop)]
