"""Authors and editors may attach images and documents (models added after the groups)."""

from django.db import migrations

from releases.workflow.roles import sync_staff_groups_migration


class Migration(migrations.Migration):
    dependencies = [("releases", "0006_performance_indexes")]

    operations = [migrations.RunPython(sync_staff_groups_migration, migrations.RunPython.noop)]
