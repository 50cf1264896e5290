"""Arguments and file reading shared by `match` and `match-eval`."""

from pathlib import Path

from django.core.management.base import CommandError

from kompetansebro.matching.engine.datasets import DatasetError, read_needs, read_offerings


def add_file_arguments(parser) -> None:
    parser.add_argument("--offerings", required=True, type=Path, help="offerings, JSON Lines (docs/data-formats.md)")
    parser.add_argument("--needs", required=True, type=Path, help="needs, JSON Lines (docs/data-formats.md)")


def read_files(offerings: Path, needs: Path):
    for path in (offerings, needs):
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
    try:
        return read_offerings(offerings), read_needs(needs)
    except DatasetError as error:
        raise CommandError(str(error)) from error
