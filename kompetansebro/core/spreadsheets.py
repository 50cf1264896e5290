"""Writing .xlsx and CSV files that are safe to open: every export builds its cells and lines here.

Text typed by anyone (a need's title, a payment reference, an organisation's name) must never become a
formula in the secretariat's spreadsheet. OWASP's CSV-injection rule: a value starting with = + - @, a tab
or a carriage return is neutralised. In .xlsx such text is stored as a text cell with Excel's quote prefix
(what Excel itself stores when someone types an apostrophe first), so it shows and reads back unchanged; in
CSV, where there is no cell type, it gets a leading apostrophe. Numbers, dates and booleans stay what they
are (a negative amount is a number, not text).
"""

import csv
import tempfile
from datetime import date, datetime
from decimal import Decimal

from django.http import FileResponse
from django.utils import timezone

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def starts_like_formula(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def new_workbook(*, write_only: bool = False):
    """An empty workbook (a write-only one keeps memory flat however many rows are appended)."""
    from openpyxl import Workbook

    return Workbook(write_only=write_only)


def safe_cell(sheet, value, *, number_format: str | None = None, font=None):
    """A cell for `sheet.append()` (ordinary and write-only sheets alike) that can never hold a formula."""
    from openpyxl.cell import Cell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters an .xlsx cannot store
    cell = Cell(sheet, row=1, column=1, value=value)  # append() sets the position
    if starts_like_formula(value):
        cell.data_type = "s"
        cell.quotePrefix = True
    if number_format and value is not None:
        cell.number_format = number_format
    if font is not None:
        cell.font = font
    return cell


def append_row(sheet, values, *, formats: dict[int, str] | None = None, font=None) -> None:
    """Append one row of safe cells; `formats` maps a column index (0-based) to its number format."""
    formats = formats or {}
    sheet.append(
        [safe_cell(sheet, value, number_format=formats.get(index), font=font) for index, value in enumerate(values)]
    )


def xlsx_response(workbook, filename: str) -> FileResponse:
    """The workbook as a download, saved to a temporary file (closed by the FileResponse)."""
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - closed by the FileResponse
    workbook.save(handle)
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)


def csv_value(value) -> str:
    """Norwegian CSV text: ja/nei, 22.11.2026, decimal comma; text that starts like a formula gets an apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nei"
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%d.%m.%Y %H:%M") if timezone.is_aware(value) else str(value)
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, Decimal):
        return format(value, "f").replace(".", ",")
    if isinstance(value, int | float):
        return str(value)
    text = str(value)
    return "'" + text if starts_like_formula(text) else text


class _Echo:
    def write(self, value):
        return value


def csv_lines(headers, rows):
    """A CSV file line by line as Norwegian Excel opens it: byte-order mark, semicolons, CRLF."""
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")
    yield "\ufeff" + writer.writerow([csv_value(header) for header in headers])
    for row in rows:
        yield writer.writerow([csv_value(value) for value in row])
