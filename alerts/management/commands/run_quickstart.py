import subprocess
import sys

from django.conf import settings
from django.core.management.base import BaseCommand

from alerts.workers import rq_worker_command


class Command(BaseCommand):
    help = (
        "The quick start (`make run`): the development server, with one task worker and the "
        "alerts dispatcher (every minute) beside it. All three stop together."
    )

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args, addrport, **options):
        manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
        if "RQBackend" in settings.TASKS["default"]["BACKEND"]:
            worker = rq_worker_command()
        else:
            worker = [*manage, "db_worker", "--no-reload", "--queue-name", "*", "--verbosity", "0"]
        helpers = [
            subprocess.Popen(worker),
            subprocess.Popen([*manage, "run_alerts_scheduler"]),
        ]
        if settings.EMAIL_BACKEND == "django.core.mail.backends.filebased.EmailBackend":
            where = f"written to {settings.EMAIL_FILE_PATH}/ (one file each)"
        else:
            where = f"sent through {settings.EMAIL_BACKEND}"
        self.stdout.write(
            f"Email alerts: a task worker and the dispatcher (every minute) run beside the "
            f"server; emails are {where}."
        )
        server = subprocess.Popen([*manage, "runserver", addrport])
        try:
            code = server.wait()
        except KeyboardInterrupt:
            code = server.wait()
        finally:
            for process in helpers:
                process.terminate()
            for process in helpers:
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
        sys.exit(code)
