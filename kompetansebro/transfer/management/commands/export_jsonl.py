from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kompetansebro.transfer.jsonl import export_needs, export_offerings


class Command(BaseCommand):
    help = (
        "Export public offerings (open, running or closed) and public needs (anonymised) as JSON Lines in the "
        "schema of the matching benchmark (docs/data-formats.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--offerings", type=Path, help="write offerings to this file")
        parser.add_argument("--needs", type=Path, help="write needs to this file")

    def handle(self, *args, offerings: Path | None, needs: Path | None, **options):
        if offerings is None and needs is None:
            raise CommandError("Give --offerings FILE and/or --needs FILE.")
        for path, export, kind in ((offerings, export_offerings, "offerings"), (needs, export_needs, "needs")):
            if path is None:
                continue
            try:
                with path.open("w", encoding="utf-8") as handle:
                    count = export(handle)
            except OSError as error:
                raise CommandError(f"cannot write {path}: {error.strerror}") from error
            self.stdout.write(f"{kind}: {count} written to {path}")
