"""The two staff groups of the publishing workflow, with their permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from releases.roles import AUTHORS, EDITORS, sync_staff_groups


def create_groups(apps, schema_editor):
    # Permissions are normally created after migrations; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    sync_staff_groups(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=[AUTHORS, EDITORS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("releases", "0002_publishing_models"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
