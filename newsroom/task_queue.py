"""django-tasks-db's queue in the admin, named in the desk's language: it names itself in
English only. Not in newsroom/apps.py, where Django would look for the newsroom app's own
configuration."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, pgettext_lazy
from django_tasks_db import apps

# Its model's names, filters and states, translated in our catalogue (`make messages` keeps them).
TRANSLATED_ELSEWHERE = [
    gettext_noop("Task Result"),
    gettext_noop("Task Results"),
    gettext_noop("enqueued at"),
    gettext_noop("started at"),
    gettext_noop("finished at"),
    gettext_noop("priority"),
    gettext_noop("queue name"),
    pgettext_lazy("Task", "Ready"),
    pgettext_lazy("Task", "Running"),
    pgettext_lazy("Task", "Failed"),
    pgettext_lazy("Task", "Successful"),
]


class TasksConfig(apps.TasksAppConfig):
    verbose_name = _("Background tasks")
