from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kompetansebro.transfer.jsonl import JsonlError, import_jsonl, read_jsonl


class Command(BaseCommand):
    help = (
        "Import offerings and/or needs from JSON Lines in the schema of the matching benchmark "
        "(docs/data-formats.md). Providers and organisations are found by name and created when missing; "
        "the JSONL id is the external id, so running it again changes nothing. All or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--offerings", type=Path, help="offerings.jsonl")
        parser.add_argument("--needs", type=Path, help="needs.jsonl")

    def handle(self, *args, offerings: Path | None, needs: Path | None, **options):
        if offerings is None and needs is None:
            raise CommandError("Give --offerings FILE and/or --needs FILE.")
        try:
            offering_records = self._read(offerings, "offerings")
            need_records = self._read(needs, "needs")
            result = import_jsonl(offerings=offering_records, needs=need_records)
        except JsonlError as error:
            raise CommandError("nothing was imported:\n" + "\n".join(error.messages)) from error
        for kind in ("offerings", "needs"):
            counts = result[kind]
            self.stdout.write(
                f"{kind}: {counts['new']} new, {counts['update']} updated, {counts['unchanged']} unchanged"
            )
        self.stdout.write(
            f"providers created: {result['providers_created']}; "
            f"organisations created: {result['organisations_created']}"
        )

    def _read(self, path: Path | None, kind: str):
        if path is None:
            return None
        try:
            with path.open(encoding="utf-8-sig") as handle:
                return read_jsonl(handle, kind=kind, name=path.name)
        except OSError as error:
            raise CommandError(f"cannot read {path}: {error.strerror}") from error
