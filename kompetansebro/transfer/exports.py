"""Exporting a list exactly as filtered on screen, to .xlsx and CSV.

Each export runs the list page's own filter form and selector with the same GET parameters, so the file
holds the same rows in the same order as the list (all pages, not only the one shown). Needs the
person sees only as public, anonymised needs are exported anonymised.

CSV: UTF-8 with a byte-order mark, semicolon-separated, decimal comma, dates as 22.11.2026, ja/nei —
what Excel with Norwegian settings opens correctly by double-clicking. XLSX: one sheet, numbers as
numbers (money with 2 decimals), dates as dates. The column names are those of the import
(transfer/columns.py), so an exported file can be edited and imported again.
"""

import csv
import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from kompetansebro.competences.models import DeliveryMode
from kompetansebro.core import spreadsheets
from kompetansebro.transfer.columns import OFFERING_DELIVERY_FIELDS

CHUNK_SIZE = 2000
MONEY_FORMAT = "#,##0.00"
NUMBER_FORMAT = "#,##0.0"
DATE_FORMAT = "dd.mm.yyyy"


@dataclass
class Export:
    file_stem: str  # behov, tilbud, organisasjoner
    headers: list[str]
    rows: object  # an iterator of lists of values
    money_columns: frozenset = frozenset()
    decimal_columns: frozenset = frozenset()


def _yes_no(value: bool) -> str:
    return "ja" if value else "nei"


def _delivery(obj, fields: dict) -> str:
    return ", ".join(code for code in DeliveryMode.values if code in fields and getattr(obj, fields[code]))


# What goes in the files ----------------------------------------------------------------------------------

NEED_HEADERS = [
    "id",
    "external_id",
    "organisation",
    "registered_on_behalf_by",
    "title",
    "description",
    "field",
    "tags",
    "level",
    "persons",
    "municipality",
    "municipality_number",
    "wants_online",
    "wants_local_gatherings",
    "wants_workplace",
    "campus_acceptable",
    "combined_work_education",
    "wanted_start",
    "urgency",
    "visibility",
    "status",
    "registered",
]


def need_rows(needs, user):
    from kompetansebro.needs.rules import sees_need_identity

    anonymised = _("anonymised")
    for need in needs:
        identity = sees_need_identity(user, need)
        yield [
            need.pk,
            need.external_id if identity else "",
            need.organisation.name if identity else anonymised,
            (need.registered_on_behalf_by.name if need.registered_on_behalf_by_id else "") if identity else "",
            need.title if identity else need.public_title_text,
            need.description if identity else need.public_description_text,
            need.field.name_nb,
            ", ".join(tag.name for tag in need.tags.all()),
            need.level,
            need.persons,
            need.municipality.name,
            need.municipality.number,
            _yes_no(need.wants_online),
            _yes_no(need.wants_local_gatherings),
            _yes_no(need.wants_workplace),
            _yes_no(need.campus_acceptable),
            _yes_no(need.combined_work_education),
            need.wanted_start,
            need.urgency,
            need.visibility,
            need.status,
            timezone.localtime(need.created_at).date(),
        ]


OFFERING_HEADERS = [
    "id",
    "external_id",
    "provider",
    "title",
    "description",
    "field",
    "tags",
    "level",
    "credits",
    "credit_unit",
    "delivery",
    "continuous_admission",
    "gathering_locations",
    "start_date",
    "application_deadline",
    "price",
    "capacity",
    "language",
    "url",
    "status",
]


def offering_rows(offerings):
    for offering in offerings:
        yield [
            offering.pk,
            offering.external_id,
            offering.provider.name,
            offering.title,
            offering.description,
            offering.field.name_nb,
            ", ".join(tag.name for tag in offering.tags.all()),
            offering.level,
            offering.credits,
            offering.credit_unit,
            _delivery(offering, OFFERING_DELIVERY_FIELDS),
            _yes_no(offering.continuous_admission),
            ", ".join(municipality.name for municipality in offering.gathering_locations.all()),
            offering.start_date,
            offering.application_deadline,
            offering.price,
            offering.capacity,
            offering.language,
            offering.url,
            offering.status,
        ]


ORGANISATION_HEADERS = [
    "id",
    "name",
    "kind",
    "provider_kind",
    "org_number",
    "municipality",
    "municipality_number",
    "part_of",
    "represented_by",
    "website",
    "email",
    "phone",
    "active",
]


def organisation_rows(organisations):
    for organisation in organisations:
        yield [
            organisation.pk,
            organisation.name,
            organisation.kind,
            organisation.provider_kind,
            organisation.org_number or "",
            organisation.municipality.name,
            organisation.municipality.number,
            organisation.parent.name if organisation.parent_id else "",
            organisation.represented_by.name if organisation.represented_by_id else "",
            organisation.website,
            organisation.email,
            organisation.phone,
            _yes_no(organisation.is_active),
        ]


# The same filters and selectors as the list pages ----------------------------------------------------------


def needs_export(user, params) -> Export:
    from kompetansebro.needs.forms import NeedFilterForm
    from kompetansebro.needs.selectors import need_search

    form = NeedFilterForm(params or None)
    filters = form.cleaned_data if form.is_valid() else {}
    needs = need_search(user=user, filters=filters).prefetch_related("tags")
    return Export("behov", NEED_HEADERS, need_rows(needs.iterator(chunk_size=CHUNK_SIZE), user))


def offerings_export(user, params) -> Export:
    from kompetansebro.offerings.forms import OfferingFilterForm
    from kompetansebro.offerings.selectors import offering_search

    form = OfferingFilterForm(params or None)
    filters = form.cleaned_data if form.is_valid() else {}
    offerings = (
        offering_search(user=user, filters=filters)
        .select_related("provider", "field")
        .prefetch_related("tags", "gathering_locations")
    )
    return Export(
        "tilbud",
        OFFERING_HEADERS,
        offering_rows(offerings.iterator(chunk_size=CHUNK_SIZE)),
        money_columns=frozenset({"price"}),
        decimal_columns=frozenset({"credits"}),
    )


def organisations_export(user, params) -> Export:
    from kompetansebro.geography.selectors import municipality_choices, region_choices
    from kompetansebro.organisations.forms import OrganisationFilterForm
    from kompetansebro.organisations.selectors import organisation_search

    form = OrganisationFilterForm(
        params or None, municipality_choices=municipality_choices(), region_choices=region_choices()
    )
    filters = form.cleaned_data if form.is_valid() else {}
    organisations = organisation_search(
        query=filters.get("q", ""),
        kind=filters.get("kind", ""),
        municipality_number=filters.get("municipality", ""),
        region_code=filters.get("region", ""),
    )
    return Export("organisasjoner", ORGANISATION_HEADERS, organisation_rows(organisations.iterator(CHUNK_SIZE)))


EXPORTS = {"behov": needs_export, "tilbud": offerings_export, "organisasjoner": organisations_export}


# Writers (kompetansebro.core.spreadsheets: no text can become a formula) -----------------------------------------


def csv_lines(export: Export):
    """The CSV file line by line: byte-order mark, header, rows; money with 2 decimals."""
    money = [index for index, name in enumerate(export.headers) if name in export.money_columns]

    def rows():
        for row in export.rows:
            for index in money:
                if row[index] is not None:
                    row[index] = Decimal(row[index]).quantize(Decimal("0.01"))
            yield row

    return spreadsheets.csv_lines(export.headers, rows())


def csv_response(export: Export) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        (line.encode("utf-8") for line in csv_lines(export)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{export.file_stem}.csv"'
    return response


def xlsx_workbook(export: Export):
    """The workbook in write-only mode: memory does not grow with the rows."""
    from openpyxl.styles import Font

    workbook = spreadsheets.new_workbook(write_only=True)
    sheet = workbook.create_sheet(export.file_stem)
    spreadsheets.append_row(sheet, export.headers, font=Font(bold=True))
    formats = {}
    for index, name in enumerate(export.headers):
        if name in export.money_columns:
            formats[index] = MONEY_FORMAT
        elif name in export.decimal_columns:
            formats[index] = NUMBER_FORMAT
    for row in export.rows:
        values = []
        for index, value in enumerate(row):
            if isinstance(value, Decimal):
                value = float(value.quantize(Decimal("0.01"))) if index in formats else float(value)
            values.append(value)
        date_formats = {index: DATE_FORMAT for index, value in enumerate(values) if isinstance(value, date)}
        spreadsheets.append_row(sheet, values, formats=formats | date_formats)
    return workbook


def xlsx_response(export: Export) -> FileResponse:
    return spreadsheets.xlsx_response(xlsx_workbook(export), f"{export.file_stem}.xlsx")


def read_back(content: bytes) -> list[list[str]]:
    """The rows of an exported CSV (for tests and checks)."""
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
