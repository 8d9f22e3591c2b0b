import os
import signal
import subprocess
import sys

from django.conf import settings
from django.core.management.base import BaseCommand

from alerts.workers import rq_worker_command


class Command(BaseCommand):
    help = (
        "The quick start (`make run`): the development server, with one task worker and the "
        "alerts dispatcher (every minute) beside it. All three stop together, on Ctrl-C as "
        "on a signal to this command (kill)."
    )

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args, addrport, **options):
        manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
        if "RQBackend" in settings.TASKS["default"]["BACKEND"]:
            worker = rq_worker_command()
        else:
            worker = [*manage, "db_worker", "--no-reload", "--queue-name", "*", "--verbosity", "0"]
        helpers = [_start(worker), _start([*manage, "run_alerts_scheduler"])]
        if settings.EMAIL_BACKEND == "django.core.mail.backends.filebased.EmailBackend":
            where = f"written to {settings.EMAIL_FILE_PATH}/ (one file each)"
        else:
            where = f"sent through {settings.EMAIL_BACKEND}"
        self.stdout.write(
            f"Email alerts: a task worker and the dispatcher (every minute) run beside the "
            f"server; emails are {where}."
        )
        server = _start([*manage, "runserver", addrport])
        for signum in (signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, _interrupt)
        try:
            code = server.wait()
        except KeyboardInterrupt:
            code = 0
        finally:
            _stop([server, *helpers])
        sys.exit(code)


def _start(command: list[str]) -> subprocess.Popen:
    """A child in its own process group, so that stopping it stops what it started too (the
    development server's autoreloader runs the server in a child of its own)."""
    return subprocess.Popen(command, process_group=0)


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def _stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        _signal_group(process, signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            _signal_group(process, signal.SIGKILL)
            process.wait()


def _signal_group(process: subprocess.Popen, signum: int) -> None:
    try:
        os.killpg(process.pid, signum)
    except ProcessLookupError:
        pass
