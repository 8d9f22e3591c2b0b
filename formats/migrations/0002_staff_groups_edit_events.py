from django.db import migrations

from releases.workflow.roles import sync_staff_groups_migration


class Migration(migrations.Migration):
    """Authors and Editors write a media advisory's event with the advisory."""

    dependencies = [
        ("formats", "0001_advisory_events"),
        ("releases", "0008_thin_release_rows"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(sync_staff_groups_migration, migrations.RunPython.noop)]
