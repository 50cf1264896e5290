"""Importing needs and offerings from spreadsheets: parse and validate (no writes), then commit.

1. `batch_create` reads the upload, converts every cell, validates every row like a form would (model
   full_clean) and stores the parsed rows and a row-by-row error list in an ImportBatch.
2. `batch_preview` compares each row with what is stored: new, update (same external id for the same
   organisation or provider) or unchanged.
3. `batch_commit` writes all rows through the needs and offerings services in one transaction: if one
   row fails, nothing is saved. Importing the same file again changes nothing (unchanged rows are skipped).
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kompetansebro.competences.models import CompetenceField
from kompetansebro.core.versioning import ConcurrentEditError
from kompetansebro.needs.models import CompetenceNeed
from kompetansebro.offerings.models import Offering
from kompetansebro.organisations.models import Organisation
from kompetansebro.transfer.columns import COLUMNS, DELIVERY_FIELDS, NEEDS, OFFERINGS, Lookups, column_for_header
from kompetansebro.transfer.encodings import changed_only_by_encoding
from kompetansebro.transfer.models import ImportBatch
from kompetansebro.transfer.readers import CellError, Table, read_upload

NEW, UPDATE, UNCHANGED = "new", "update", "unchanged"
MODELS = {NEEDS: CompetenceNeed, OFFERINGS: Offering}
OWNER_FIELD = {NEEDS: "organisation", OFFERINGS: "provider"}
DECIMAL_FIELDS = {"credits", "price"}
DATE_FIELDS = {"wanted_start", "start_date", "application_deadline"}
RELATED_FIELDS = {"field": "code", "municipality": "number"}
M2M_FIELDS = {"tags", "gathering_locations"}


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


def error_text(error: dict) -> str:
    """ "Row 7, column «nivå»: …" (in Norwegian: "Rad 7, kolonne «nivå»: …")."""
    if error.get("column"):
        return _("Row %(row)d, column «%(column)s»: %(message)s") % error
    return _("Row %(row)d: %(message)s") % error


class ImportFailed(Exception):
    """The commit found rows it could not save; nothing was saved."""

    def __init__(self, errors: list[dict]):
        super().__init__(f"{len(errors)} row(s) could not be saved")
        self.errors = errors


# Parsing and validating ----------------------------------------------------------------------------------


def _owner_queryset(kind: str, owner: Organisation):
    return MODELS[kind].objects.filter(**{OWNER_FIELD[kind]: owner})


def existing_by_external_id(kind: str, owner: Organisation, external_ids) -> dict:
    objects = _owner_queryset(kind, owner).filter(external_id__in=list(external_ids)).select_related("field")
    objects = objects.prefetch_related("tags", *(["gathering_locations"] if kind == OFFERINGS else []))
    if kind == NEEDS:
        objects = objects.select_related("municipality")
    return {obj.external_id: obj for obj in objects}


def to_model_values(data: dict, lookups: Lookups) -> dict:
    """JSON-safe row data -> values for the services: objects for foreign keys, dates, decimals."""
    values = {}
    for name, value in data.items():
        if name == "field":
            value = lookups.fields[value] if value in lookups.fields else CompetenceField.objects.get(code=value)
        elif name == "municipality":
            value = lookups.municipalities_by_number[value]
        elif name == "gathering_locations":
            value = [lookups.municipalities_by_number[number] for number in value]
        elif name in DATE_FIELDS:
            value = date.fromisoformat(value) if value else None
        elif name in DECIMAL_FIELDS:
            value = Decimal(value) if value is not None else None
        values[name] = value
    return values


def current_values(obj, names) -> dict:
    """The stored values of `names` in the same JSON-safe form as parsed rows, for comparison."""
    values = {}
    for name in names:
        if name in RELATED_FIELDS:
            related = getattr(obj, name)
            values[name] = getattr(related, RELATED_FIELDS[name]) if related else None
        elif name == "tags":
            values[name] = sorted(tag.name for tag in obj.tags.all())
        elif name == "gathering_locations":
            values[name] = sorted(m.number for m in obj.gathering_locations.all())
        elif name in DATE_FIELDS:
            value = getattr(obj, name)
            values[name] = value.isoformat() if value else None
        else:
            values[name] = getattr(obj, name)
    return values


def _comparable(data: dict) -> dict:
    """Parsed row data in the form current_values() gives: decimals as Decimal, lists sorted."""
    values = {}
    for name, value in data.items():
        if name in M2M_FIELDS:
            value = sorted(value)
        elif name in DECIMAL_FIELDS and value is not None:
            value = Decimal(value)
        values[name] = value
    return values


def row_status(kind: str, row: dict, existing: dict) -> str:
    obj = existing.get(row["external_id"])
    if obj is None:
        return NEW
    return UNCHANGED if current_values(obj, row["data"].keys()) == _comparable(row["data"]) else UPDATE


def _column_of_field(kind: str, field_name: str, present: dict) -> str:
    for column, label in present.values():
        if column.name == field_name or field_name in DELIVERY_FIELDS[kind].values() and column.kind == "delivery":
            return label
    return ""


def _validate_instance(kind, owner, data, existing, lookups) -> dict:
    """Model validation of the row as it would be saved. Returns {field: [messages]}."""
    model = MODELS[kind]
    values = to_model_values(data, lookups)
    if existing is not None:
        instance = model(**{f.attname: getattr(existing, f.attname) for f in model._meta.concrete_fields})
        instance._state.adding, instance._state.db = False, existing._state.db
    else:
        instance = model(**{OWNER_FIELD[kind]: owner})
    for name, value in values.items():
        if name not in M2M_FIELDS:
            setattr(instance, name, value)
    try:
        instance.full_clean(exclude=["created_by"] if kind == NEEDS else None)
    except ValidationError as error:
        return error.message_dict
    return {}


def parse_table(kind: str, table: Table, owner: Organisation) -> tuple[list[dict], list[dict], list[str]]:
    """(rows, errors, ignored column names). Rows: {"row": n, "external_id": …, "data": {field: value}}."""
    lookups = Lookups()
    errors: list[RowError] = []
    present: dict[str, tuple] = {}  # header -> (column, label as written)
    ignored = []
    for header in table.headers:
        if not header:
            continue
        column = column_for_header(kind, header)
        if column is None:
            ignored.append(table.labels.get(header, header))
        elif column.name in {c.name for c, _label in present.values()}:
            errors.append(RowError(1, table.labels.get(header, header), _("the column appears twice")))
        else:
            present[header] = (column, table.labels.get(header, header))
    present_names = {column.name for column, _label in present.values()}
    for column in COLUMNS[kind]:
        if column.required and column.name not in present_names:
            errors.append(
                RowError(
                    1,
                    "",
                    _("the column «%(alias)s» (%(name)s) is missing") % {"alias": column.alias, "name": column.name},
                )
            )
    if errors:
        return [], [error.as_dict() for error in errors], ignored
    if not table.rows:
        return [], [RowError(1, "", _("the file has no rows below the column names")).as_dict()], ignored

    rows, first_row_of = [], {}
    for number, cells in table.rows:
        data, row_errors = {}, []
        for header, (column, label) in present.items():
            try:
                data.update(column.read(cells.get(header), lookups, delivery_fields=DELIVERY_FIELDS[kind]))
            except CellError as error:
                row_errors.append(RowError(number, label, str(error)))
        external_id = data.pop("external_id", "")
        if external_id and len(external_id) > 100:
            row_errors.append(RowError(number, _label_of(present, "external_id"), _("is longer than 100 characters")))
        elif external_id in first_row_of:
            row_errors.append(
                RowError(
                    number,
                    _label_of(present, "external_id"),
                    _("«%(id)s» is also used in row %(first)d")
                    % {"id": external_id, "first": first_row_of[external_id]},
                )
            )
        elif external_id:
            first_row_of[external_id] = number
        errors.extend(row_errors)
        if not row_errors:
            rows.append({"row": number, "external_id": external_id, "data": data})

    existing = existing_by_external_id(kind, owner, [row["external_id"] for row in rows])
    for row in rows:
        if row["external_id"] in existing:
            errors.extend(_garbled_texts(row, existing[row["external_id"]], present))
        messages = _validate_instance(kind, owner, row["data"], existing.get(row["external_id"]), lookups)
        for field_name, field_messages in messages.items():
            label = "" if field_name == NON_FIELD_ERRORS else _column_of_field(kind, field_name, present)
            if field_name != NON_FIELD_ERRORS and not label:
                field_messages = [f"{field_name}: {message}" for message in field_messages]
            for message in field_messages:
                errors.append(RowError(row["row"], label, message))
    errors.sort(key=lambda error: error.row)
    return rows, [error.as_dict() for error in errors], ignored


def _garbled_texts(row: dict, obj, present: dict) -> list[RowError]:
    """Texts (and tags) that differ from the stored ones only by a wrong decoding are refused, never saved."""
    stored = current_values(obj, row["data"].keys())
    errors = []
    for name, value in row["data"].items():
        pairs = [(stored[name], value)] if isinstance(value, str) and isinstance(stored[name], str) else []
        if name == "tags":
            pairs = [(old, new) for new in value for old in stored[name]]
        for old, new in pairs:
            if changed_only_by_encoding(old, new):
                message = _(
                    "«%(new)s» is the stored «%(old)s» garbled by a wrong text encoding. "
                    "Save the file as «CSV UTF-8 (kommadelt)» or .xlsx and upload it again."
                ) % {"new": new, "old": old}
                errors.append(RowError(row["row"], _label_of(present, name), message))
    return errors


def _label_of(present: dict, name: str) -> str:
    for column, label in present.values():
        if column.name == name:
            return label
    return name


def batch_create(*, actor, kind: str, owner: Organisation, upload) -> ImportBatch:
    """Reads and validates the file; raises readers.UploadError when the file as a whole is unusable."""
    table = read_upload(upload)
    rows, errors, ignored = parse_table(kind, table, owner)
    return ImportBatch.objects.create(
        kind=kind,
        owner=owner,
        created_by=actor,
        file_name=(getattr(upload, "name", "") or "")[:255],
        rows=rows,
        errors=errors,
        ignored_columns=ignored,
    )


def batch_preview(batch: ImportBatch) -> list[dict]:
    """The rows with their status against the database now: new, update or unchanged."""
    existing = existing_by_external_id(batch.kind, batch.owner, [row["external_id"] for row in batch.rows])
    preview = []
    for row in batch.rows:
        status = row_status(batch.kind, row, existing)
        preview.append({**row, "status": status, "title": row["data"].get("title", "")})
    return preview


def preview_counts(preview: list[dict]) -> dict:
    counts = {NEW: 0, UPDATE: 0, UNCHANGED: 0}
    for row in preview:
        counts[row["status"]] += 1
    return counts


# Committing ----------------------------------------------------------------------------------------------


def _need_on_behalf(actor, organisation: Organisation):
    """A business garden registering for a company it represents is recorded as such."""
    from kompetansebro.organisations.access import access_profile

    garden_id = organisation.represented_by_id
    if (
        garden_id
        and garden_id in access_profile(actor).member_org_ids
        and organisation.pk not in access_profile(actor).member_org_ids
    ):
        return organisation.represented_by
    return None


def _save_row(kind, actor, owner, row, existing, lookups):
    data = to_model_values(row["data"], lookups)
    data["external_id"] = row["external_id"]
    obj = existing.get(row["external_id"])
    if kind == NEEDS:
        from kompetansebro.needs import services

        if obj is None:
            return services.need_register(
                actor=actor, organisation=owner, data=data, registered_on_behalf_by=_need_on_behalf(actor, owner)
            )
        return services.need_update(actor=actor, need=obj, data=data, expected_version=obj.version)
    from kompetansebro.offerings import services

    if obj is None:
        return services.offering_create(actor=actor, provider=owner, data=data)
    return services.offering_update(actor=actor, offering=obj, data=data, expected_version=obj.version)


def batch_commit(*, actor, batch: ImportBatch) -> dict:
    """All rows or none. Returns {"new": n, "update": n, "unchanged": n}; raises ImportFailed."""
    if batch.committed_at is not None:
        raise ImportFailed([{"row": 0, "column": "", "message": _("This file has already been imported.")}])
    if batch.errors:
        raise ImportFailed(batch.errors)
    lookups = Lookups()
    counts = {NEW: 0, UPDATE: 0, UNCHANGED: 0}
    errors = []
    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.committed_at is not None:
            raise ImportFailed([{"row": 0, "column": "", "message": _("This file has already been imported.")}])
        existing = existing_by_external_id(batch.kind, batch.owner, [row["external_id"] for row in batch.rows])
        for row in batch.rows:
            status = row_status(batch.kind, row, existing)
            counts[status] += 1
            if status == UNCHANGED:
                continue
            try:
                with transaction.atomic():
                    _save_row(batch.kind, actor, batch.owner, row, existing, lookups)
            except ValidationError as error:
                for message in error.messages:
                    errors.append({"row": row["row"], "column": "", "message": message})
            except (ConcurrentEditError, PermissionDenied) as error:
                errors.append({"row": row["row"], "column": "", "message": str(error)})
        if errors:
            transaction.set_rollback(True)
        else:
            locked.committed_at = timezone.now()
            locked.result = counts
            locked.save(update_fields=["committed_at", "result"])
    if errors:
        raise ImportFailed(errors)
    batch.committed_at, batch.result = locked.committed_at, counts
    return counts
