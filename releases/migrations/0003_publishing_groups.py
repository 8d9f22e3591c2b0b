"""The two staff groups of the publishing workflow, with their permissions."""

from django.db import migrations

from releases.workflow.roles import AUTHORS, EDITORS, sync_staff_groups_migration


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=[AUTHORS, EDITORS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("releases", "0002_publishing_models"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(sync_staff_groups_migration, remove_groups)]
