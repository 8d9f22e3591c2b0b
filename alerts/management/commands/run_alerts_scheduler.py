import logging
import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from alerts.dispatch import dispatch

logger = logging.getLogger("alerts.scheduler")


class Command(BaseCommand):
    help = (
        "Run the alerts dispatcher at the start of every minute, for ever. One per deployment "
        "is enough; a second one does no harm (the dispatcher takes turns and the delivery rows "
        "are unique)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--once", action="store_true", help="Run the dispatcher once, at the next minute."
        )

    def handle(self, *args, once=False, **options):
        self.running = True
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)
        while self.running:
            # Just after the minute turns: an embargo lifts at hh:mm:00.
            time.sleep(60 - time.time() % 60 + 0.05)
            if not self.running:
                break
            close_old_connections()
            try:
                report = dispatch()
            except Exception:
                logger.exception("alerts dispatcher failed")
            else:
                if report.tasks_enqueued or report.notices:
                    logger.info(
                        "alerts dispatched",
                        extra={
                            "notices": len(report.notices),
                            "queued": report.deliveries_created,
                            "tasks": report.tasks_enqueued,
                        },
                    )
            if once:
                break

    def stop(self, signum, frame):
        if not self.running:
            raise SystemExit(1)
        self.running = False
        raise SystemExit(0)
