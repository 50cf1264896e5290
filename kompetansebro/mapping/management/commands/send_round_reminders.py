"""`kompetansebro send-round-reminders`: for cron. Reminds the organisations that have not answered in every
open mapping round whose deadline is at most --days-before days away. Safe to run as often as you like:
each organisation gets at most one reminder a day (the database remembers when it was last reminded)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from kompetansebro.mapping.services import rounds_send_due_reminders


class Command(BaseCommand):
    help = "Send due reminders for open mapping rounds (at most one a day per organisation)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days-before",
            type=int,
            default=getattr(settings, "MAPPING_REMINDER_DAYS_BEFORE", 7),
            help="Remind when the deadline is at most this many days away (default 7, setting "
            "MAPPING_REMINDER_DAYS_BEFORE).",
        )

    def handle(self, *args, days_before, **options):
        result = rounds_send_due_reminders(days_before=days_before)
        total = sum(result.values())
        self.stdout.write(f"{len(result)} open round(s) due; {total} organisation(s) reminded.")
