"""`kompetansebro send-task-reminders`: for cron. E-mails the people responsible for every open follow-up task
that is overdue, and the forum's secretariat, once per task: the task remembers that its notice was sent
(overdue_notice_sent_at), so running it twice, or after a missed day, sends exactly one notice per overdue task.
Moving a task's due date to today or later clears that mark, so it is notified again if it runs late again."""

from django.core.management.base import BaseCommand
from django.utils.formats import date_format

from kompetansebro.forums.services.tasks import tasks_send_overdue_notices


class Command(BaseCommand):
    help = "E-mail one overdue notice per overdue follow-up task (safe to run as often as you like)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List the notices that would be sent; send and change nothing."
        )

    def handle(self, *args, dry_run, **options):
        run = tasks_send_overdue_notices(dry_run=dry_run)
        if dry_run:
            for notice in run.notices:
                task = notice.task
                self.stdout.write(
                    f"{task.forum.name}: {task.title} (due {date_format(task.due_on, 'SHORT_DATE_FORMAT')}) → "
                    + ", ".join(person.email for person in notice.recipients)
                )
        for task in run.without_recipients:
            self.stderr.write(f"Nobody to notify for overdue task {task.pk} in {task.forum.name}: {task.title}")
        verb = "would be" if dry_run else "were"
        self.stdout.write(
            f"{len(run.notices)} overdue task(s) {verb} notified with {run.emails} e-mail(s); "
            f"{len(run.without_recipients)} overdue task(s) without anyone to notify."
        )
