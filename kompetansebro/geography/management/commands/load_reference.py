from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kompetansebro.competences.reference import fields_load
from kompetansebro.geography.reference import DATA_DIR, ReferenceDataError, reference_load


class Command(BaseCommand):
    help = (
        "Load counties, municipalities and regions (SSB) and the reviewed fields of competence from the files in "
        "the repository (safe to run again)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--data-dir", type=Path, default=DATA_DIR, help="folder with the reference CSV files")

    def handle(self, *args, data_dir: Path, **options):
        try:
            result = reference_load(data_dir=data_dir)
            fields_created, fields_updated = fields_load()
        except ReferenceDataError as error:
            raise CommandError(str(error)) from error
        except FileNotFoundError as error:
            raise CommandError(f"missing file: {error.filename}") from error
        self.stdout.write(
            f"Reference data: {result.counties} counties; municipalities {result.municipalities_created} new, "
            f"{result.municipalities_updated} updated; regions {result.regions_created} new, "
            f"{result.regions_updated} updated. Source: Statistisk sentralbyrå (NLOD / CC BY 4.0)."
        )
        self.stdout.write(f"Fields of competence: {fields_created} new, {fields_updated} updated.")
