"""How a task worker is started on RQ: one command line for the quick start, the tests and the
benchmark (deployments run the same, see docs/alerts.md)."""

import sys

from django.conf import settings


def rq_worker_command(*, burst: bool = False, simple: bool = False) -> list[str]:
    """``manage.py rqworker`` on the default queue with django-tasks' job class. ``burst``: stop
    when the queue is empty. ``simple``: run each job in the worker's own process (the default
    worker forks a work horse per job, in a session of its own that a kill of the worker would
    miss)."""
    command = [sys.executable, str(settings.BASE_DIR / "manage.py"), "rqworker", "default"]
    command += ["--job-class", "django_tasks_rq.Job"]
    if burst:
        command.append("--burst")
    if simple:
        command += ["--worker-class", "rq.worker.SimpleWorker"]
    return command
