"""The staff roles of the publishing workflow: which permissions each group holds.

Used by the data migration that creates the groups and by anything that must restore them
(tests whose database was flushed)."""

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
    "view_sharingimage",
    "view_correction",
    "view_releaseevent",
    # Images and documents travel with the release (and a spokesperson's headshot with them).
    "add_releaseimage",
    "change_releaseimage",
    "delete_releaseimage",
    "view_releaseimage",
    "add_releasedocument",
    "change_releasedocument",
    "delete_releasedocument",
    "view_releasedocument",
    "add_spokespersonheadshot",
    "change_spokespersonheadshot",
    "view_spokespersonheadshot",
    "view_campaignvisual",
    # A media advisory's event (the formats app) is written with the advisory.
    "add_advisoryevent",
    "change_advisoryevent",
    "delete_advisoryevent",
    "view_advisoryevent",
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
    # The organisation's sharing image is edited with it.
    "add_sharingimage",
    "change_sharingimage",
    "delete_sharingimage",
    "add_campaignvisual",
    "change_campaignvisual",
    "delete_campaignvisual",
    "delete_spokespersonheadshot",
    "view_previewlink",
    "view_releaseredirect",
    # Those who rename campaigns, topics and spokespeople see the old addresses' redirects.
    "view_formerslug",
    "delete_formerslug",
]


def sync_staff_groups(group_model, permission_model) -> None:
    """Create the Authors and Editors groups (or reset them) with their permissions."""
    in_app = permission_model.objects.filter(content_type__app_label__in=["releases", "formats"])
    authors, _ = group_model.objects.get_or_create(name=AUTHORS)
    authors.permissions.set(in_app.filter(codename__in=AUTHOR_PERMISSIONS))
    editors, _ = group_model.objects.get_or_create(name=EDITORS)
    editors.permissions.set(
        in_app.filter(codename__in=AUTHOR_PERMISSIONS + EDITOR_EXTRA_PERMISSIONS)
    )


def sync_staff_groups_migration(apps, schema_editor) -> None:
    """The data migrations' step: permissions are normally created after migrations, and the
    groups need them now."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    sync_staff_groups(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))
