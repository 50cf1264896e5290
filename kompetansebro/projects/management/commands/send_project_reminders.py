"""`kompetansebro send-project-reminders`: for cron. E-mails the project leader once when a status report is due
within PROJECT_REPORT_REMINDER_DAYS days (14 by default), and once more, with the region's secretariat, when it
is overdue. The report remembers each e-mail (reminder_sent_at, overdue_notice_sent_at), so running it twice,
or after a missed day, sends each exactly once; submitted reports get nothing."""

from django.core.management.base import BaseCommand
from django.utils.formats import date_format

from kompetansebro.projects.services.reports import NoticeKind, reminder_days, reports_send_reminders


class Command(BaseCommand):
    help = "E-mail reminders of status reports due soon and notices of overdue ones (safe to run as often as you like)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List the e-mails that would be sent; send and change nothing."
        )
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Remind this many days before the due date (default: PROJECT_REPORT_REMINDER_DAYS, 14).",
        )

    def handle(self, *args, dry_run, days, **options):
        days = reminder_days() if days is None else days
        run = reports_send_reminders(days=days, dry_run=dry_run)
        if dry_run:
            for notice in run.notices:
                report = notice.report
                kind = "reminder" if notice.kind == NoticeKind.REMINDER else "overdue notice"
                self.stdout.write(
                    f"{report.project.name}: {report.title} (due {date_format(report.due_on, 'SHORT_DATE_FORMAT')}), "
                    f"{kind} → " + ", ".join(person.email for person in notice.recipients)
                )
        for report in run.without_recipients:
            self.stderr.write(f"Nobody to notify for report {report.pk} of {report.project.name}: {report.title}")
        verb = "would be" if dry_run else "were"
        self.stdout.write(
            f"{len(run.of_kind(NoticeKind.REMINDER))} reminder(s) and {len(run.of_kind(NoticeKind.OVERDUE))} "
            f"overdue notice(s) {verb} sent with {run.emails} e-mail(s) (reminders {days} days ahead); "
            f"{len(run.without_recipients)} report(s) without anyone to notify."
        )
