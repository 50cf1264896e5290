"""Loading the reviewed list of fields of competence (idempotent, all-or-nothing, errors with line numbers)."""

import csv
from pathlib import Path

from django.db import transaction

from kompetansebro.competences.models import CompetenceField
from kompetansebro.core.text import norwegian_slug
from kompetansebro.geography.reference import ReferenceDataError

FIELDS_FILE = Path(__file__).resolve().parent / "data" / "fields.csv"
COLUMNS = ["code", "name_nb", "name_en", "description"]


@transaction.atomic
def fields_load(*, path: Path = FIELDS_FILE) -> tuple[int, int]:
    """Returns (created, updated)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [column for column in COLUMNS if column not in (reader.fieldnames or [])]
        if missing:
            raise ReferenceDataError(path, 1, f"missing column(s): {', '.join(missing)}")
        rows = []
        for row in reader:
            if None in row or any(value is None for value in row.values()):
                raise ReferenceDataError(path, reader.line_num, "wrong number of columns")
            code = row["code"].strip()
            if not code or norwegian_slug(code) != code or not row["name_nb"].strip() or not row["name_en"].strip():
                raise ReferenceDataError(path, reader.line_num, "code must be a slug and both names are required")
            rows.append((reader.line_num, row))
    created = updated = 0
    for order, (_, row) in enumerate(rows, start=1):
        values = {
            "name_nb": row["name_nb"].strip(),
            "name_en": row["name_en"].strip(),
            "description": row["description"].strip(),
            "sort_order": order,
        }
        field, was_created = CompetenceField.objects.get_or_create(code=row["code"].strip(), defaults=values)
        if was_created:
            created += 1
        elif any(getattr(field, name) != value for name, value in values.items()):
            CompetenceField.objects.filter(pk=field.pk).update(**values)
            updated += 1
    return created, updated
