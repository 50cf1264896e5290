"""Reading uploaded spreadsheets: checks of the upload, then rows as {column name: text or value}.

Formats (docs/data-formats.md, "Spreadsheets"):
- `.xlsx`: the first sheet, the first non-empty row is the header;
- `.csv`: UTF-8 (with or without byte-order mark), UTF-16 or Windows-1252, decided per file
  (transfer/encodings.py); comma, semicolon or tab (sniffed from the header line); first line is the header.
Values are converted later, column by column, by the parse_* functions here, which accept the Norwegian
ways of writing numbers ("1 234,5"), dates (22.11.2026) and yes/no (ja/nei/x).
"""

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kompetansebro.core.archives import ArchiveRefused, xlsx_rows
from kompetansebro.core.spreadsheets import starts_like_formula
from kompetansebro.core.text import norwegian_slug
from kompetansebro.transfer.encodings import UTF16_BOMS, EncodingRefused, decode_csv

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
EXTENSIONS = (".xlsx", ".csv")
XLSX_REQUIRED_PARTS = ("[Content_Types].xml", "xl/workbook.xml")


class UploadError(ValidationError):
    """The file as a whole cannot be read; the message says why, in words for the person uploading."""


@dataclass
class Table:
    headers: list[str]
    rows: list[tuple[int, dict]] = field(default_factory=list)  # (row number as the person sees it, values)
    labels: dict[str, str] = field(default_factory=dict)  # normalised header -> as written in the file


def normalise_header(text) -> str:
    """ "Ønsket oppstart " -> "onsket_oppstart"; used for column names and their aliases alike."""
    return norwegian_slug(str(text or "").replace("\ufeff", "").strip()).replace("-", "_")


def check_upload(upload) -> str:
    """Size, extension and the real content. Returns "xlsx" or "csv"; raises UploadError."""
    name = (getattr(upload, "name", "") or "").lower()
    if not name.endswith(EXTENSIONS):
        raise UploadError(_("Only .xlsx (Excel) and .csv files can be imported."))
    size = getattr(upload, "size", None)
    if size is None or size > MAX_UPLOAD_BYTES:
        raise UploadError(
            _("The file is too large: the limit is %(limit)d MB.") % {"limit": MAX_UPLOAD_BYTES // (1024 * 1024)}
        )
    if size == 0:
        raise UploadError(_("The file is empty."))
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    if name.endswith(".xlsx"):
        if not head.startswith(b"PK\x03\x04"):
            raise UploadError(_("The file is named .xlsx but is not an Excel workbook. Save it from Excel as .xlsx."))
        try:
            with zipfile.ZipFile(upload) as archive:
                parts = set(archive.namelist())
        except zipfile.BadZipFile as error:
            raise UploadError(_("The Excel file is damaged and cannot be read.")) from error
        finally:
            upload.seek(0)
        if not all(part in parts for part in XLSX_REQUIRED_PARTS):
            raise UploadError(_("The file is named .xlsx but is not an Excel workbook. Save it from Excel as .xlsx."))
        return "xlsx"
    if head.startswith(UTF16_BOMS):  # Excel's "Unicode text": NUL bytes belong to it
        head = head.decode("utf-16", errors="ignore").encode("utf-8")
    if head.startswith(b"PK\x03\x04") or b"\x00" in head:
        raise UploadError(_("The file is named .csv but is not a text file. Save it as CSV from Excel."))
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith((b"<!doctype", b"<html", b"<?xml", b"<table", b"<head", b"<body", b"{\\rtf", b"%pdf")):
        raise UploadError(_("The file is named .csv but contains a web page or another format, not CSV."))
    return "csv"


def sniff_delimiter(header_line: str) -> str:
    """Semicolon (Norwegian Excel) or comma, whichever separates more columns in the header line."""
    counts = {delimiter: header_line.count(delimiter) for delimiter in (";", ",", "\t")}
    best = max(counts, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


def _blank(values) -> bool:
    return all(value is None or (isinstance(value, str) and not value.strip()) for value in values)


def _table(header_row, data_rows) -> Table:
    headers = [normalise_header(value) for value in header_row]
    if not any(headers):
        raise UploadError(_("The first row must contain the column names."))
    table = Table(
        headers=headers,
        labels={name: str(text).replace("\ufeff", "").strip() for name, text in zip(headers, header_row, strict=True)},
    )
    for number, values in data_rows:
        if _blank(values):
            continue
        if len(table.rows) >= MAX_ROWS:
            raise UploadError(
                _("The file has more than %(max)d rows. Split it into smaller files.") % {"max": MAX_ROWS}
            )
        row = {}
        for index, header in enumerate(headers):
            if header and index < len(values):
                value = values[index]
                row[header] = value.strip() if isinstance(value, str) else value
        table.rows.append((number, row))
    return table


def read_csv(data: bytes) -> Table:
    try:
        text = decode_csv(data)
    except EncodingRefused as error:
        raise UploadError(str(error)) from error
    first_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(first_line))
    try:
        lines = list(reader)
    except csv.Error as error:
        raise UploadError(_("The CSV file cannot be read: %(error)s") % {"error": error}) from error
    if not lines:
        raise UploadError(_("The file is empty."))
    return _table(lines[0], [(number, values) for number, values in enumerate(lines[1:], start=2)])


def read_xlsx(upload) -> Table:
    """The first sheet, within the limits of core.archives (size, ratio, rows read, cell length)."""
    rows = xlsx_rows(upload)
    try:
        header = next((values for _number, values in rows if not _blank(values)), None)
        if header is None:
            raise UploadError(_("The file is empty."))
        while _blank(header[-1:]):
            header.pop()  # the columns read beyond the last column name
        return _table(header, rows)
    except ArchiveRefused as error:
        raise UploadError(error.messages) from error
    finally:
        rows.close()


def read_upload(upload) -> Table:
    """Check and read an uploaded file (a Django UploadedFile or any binary file with .name and .size)."""
    kind = check_upload(upload)
    upload.seek(0)
    if kind == "xlsx":
        return read_xlsx(upload)
    return read_csv(upload.read())


# Values ---------------------------------------------------------------------------------------------------

TRUE_WORDS = {"ja", "j", "yes", "y", "true", "sann", "1", "x", "✓"}
FALSE_WORDS = {"nei", "n", "no", "false", "usann", "0", "-"}
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']")


class CellError(ValueError):
    """A value that cannot be read; the message completes "Row 7, column «level»: …"."""


def is_empty(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def parse_text(value) -> str:
    """Text as typed; the apostrophe an export puts before text that starts like a formula is dropped."""
    if is_empty(value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.strftime("%d.%m.%Y")
    text = str(value)
    if text.startswith("'") and starts_like_formula(text[1:]):
        text = text[1:]
    return " ".join(text.split()) if "\n" not in text else text.strip()


def parse_decimal(value) -> Decimal | None:
    """7,5 / 7.5 / "1 234,50" / "1.234,50" / "kr 9 500" / an Excel number -> Decimal."""
    if is_empty(value):
        return None
    if isinstance(value, bool):
        raise CellError(_("must be a number"))
    if isinstance(value, int | float | Decimal):
        return Decimal(str(value))
    text = _SPACES.sub("", str(value)).lower().removeprefix("kr").removesuffix(",-").removesuffix("kr")
    if "," in text and "." in text:
        text = text.replace(".", "").replace(",", ".")  # 1.234,50
    elif text.count(",") == 1:
        text = text.replace(",", ".")
    text = text.replace("\u2212", "-")
    try:
        number = Decimal(text)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise CellError(_("must be a number, e.g. 7,5 or 1 234"))
    return number


def parse_int(value) -> int | None:
    number = parse_decimal(value)
    if number is None:
        return None
    if number != number.to_integral_value():
        raise CellError(_("must be a whole number"))
    return int(number)


def parse_date(value) -> date | None:
    """22.11.2026 or 2026-11-22 (four-digit years), or a date cell from Excel."""
    if is_empty(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for pattern in ("%d.%m.%Y", "%Y-%m-%d", "%d/%m/%Y", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"):
        try:
            parsed = datetime.strptime(text, pattern)  # noqa: DTZ007 - a calendar date, no time zone
        except ValueError:
            continue
        if parsed.year < 1900:
            break
        return parsed.date()
    raise CellError(_("must be a date written as 22.11.2026 or 2026-11-22"))


def parse_bool(value) -> bool | None:
    """ja/nei, true/false, 1/0, x (ticked) -> True/False; empty -> None (the default applies)."""
    if is_empty(value):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    text = str(value).strip().lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise CellError(_("must be ja or nei (also accepted: true/false, 1/0, x)"))


def parse_list(value) -> list[str]:
    """ "nett, samlingsbasert" or "Røros; Holtålen" -> ["nett", "samlingsbasert"]."""
    if is_empty(value):
        return []
    return [item.strip() for item in re.split(r"[,;\n|]", str(value)) if item.strip()]
