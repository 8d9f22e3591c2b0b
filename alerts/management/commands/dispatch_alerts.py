from django.core.management.base import BaseCommand

from alerts.dispatch import dispatch


class Command(BaseCommand):
    help = (
        "Find releases that went public, corrections and withdrawals since the last run, and "
        "queue the emails they call for. Run it every minute (run_alerts_scheduler, or cron)."
    )

    def handle(self, *args, **options):
        report = dispatch()
        if options["verbosity"] > 0:
            self.stdout.write(
                f"{len(report.notices)} new notices, {report.deliveries_created} emails queued, "
                f"{report.requeued} handed out again, {report.tasks_enqueued} tasks"
            )
