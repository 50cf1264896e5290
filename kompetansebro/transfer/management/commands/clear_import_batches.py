from django.core.management.base import BaseCommand
from django.utils import timezone

from kompetansebro.transfer.models import ImportBatch


class Command(BaseCommand):
    help = "Delete import previews whose time has run out (run daily from cron; safe to run again)."

    def handle(self, *args, **options):
        deleted, _by_model = ImportBatch.objects.filter(expires_at__lte=timezone.now()).delete()
        self.stdout.write(f"Expired import previews deleted: {deleted}.")
