"""The two staff groups of the publishing workflow, with their permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

AUTHORS = "Authors"
EDITORS = "Editors"

# Authors write and submit; they read the reference data and may add people and contacts.
AUTHOR_PERMISSIONS = [
    "add_release",
    "change_release",
    "view_release",
    "add_quote",
    "change_quote",
    "delete_quote",
    "view_quote",
    "view_campaign",
    "view_topic",
    "add_spokesperson",
    "change_spokesperson",
    "view_spokesperson",
    "add_mediacontact",
    "change_mediacontact",
    "view_mediacontact",
    "view_organisation",
    "view_correction",
    "view_releaseevent",
]
EDITOR_EXTRA_PERMISSIONS = [
    "approve_release",
    "publish_release",
    "withdraw_release",
    "preview_release",
    "delete_release",
    "add_campaign",
    "change_campaign",
    "delete_campaign",
    "add_topic",
    "change_topic",
    "delete_topic",
    "delete_spokesperson",
    "delete_mediacontact",
    "change_organisation",
    "view_previewlink",
    "view_releaseredirect",
]


def create_groups(apps, schema_editor):
    # Permissions are normally created after migrations; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    in_app = Permission.objects.filter(content_type__app_label="releases")
    authors, _ = Group.objects.get_or_create(name=AUTHORS)
    authors.permissions.set(in_app.filter(codename__in=AUTHOR_PERMISSIONS))
    editors, _ = Group.objects.get_or_create(name=EDITORS)
    editors.permissions.set(
        in_app.filter(codename__in=AUTHOR_PERMISSIONS + EDITOR_EXTRA_PERMISSIONS)
    )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=[AUTHORS, EDITORS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("releases", "0002_publishing_models"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
