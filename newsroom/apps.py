"""Apps the project installs but does not own, configured for it."""

from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class TasksConfig(TasksAppConfig):
    """django-tasks-db's queue in the admin, named in the desk's language: it names itself in
    English only (its models' names and columns are translated in our catalogue)."""

    verbose_name = _("Background tasks")
