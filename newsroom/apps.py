from django.contrib.admin import apps


class NewsroomAdminConfig(apps.AdminConfig):
    """Django's admin with the newsroom's site (``newsroom.admin``)."""

    default = False  # not the configuration of the ``newsroom`` app this module belongs to
    default_site = "newsroom.admin.NewsroomAdminSite"
