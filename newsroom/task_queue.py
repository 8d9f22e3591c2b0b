"""django-tasks-db's queue in the admin, named in the desk's language: it names itself in
English only. Not in newsroom/apps.py, where Django would look for the newsroom app's own
configuration."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from django_tasks_db import apps

# Its model's names and filters, translated in our catalogue (`make messages` keeps them).
TRANSLATED_ELSEWHERE = [
    gettext_noop("Task Result"),
    gettext_noop("Task Results"),
    gettext_noop("enqueued at"),
    gettext_noop("started at"),
    gettext_noop("finished at"),
    gettext_noop("priority"),
    gettext_noop("queue name"),
]


class TasksConfig(apps.TasksAppConfig):
    verbose_name = _("Background tasks")
