"""Reading an uploaded .xlsx without letting a small file take a worker's memory or minutes.

An .xlsx is a zip of XML files: 0.3 MB can unpack to a 300 MB cell, and 700 000 blank rows or a million
shared strings cost seconds and hundreds of MB before a single row is used. So, before openpyxl opens it:

1. the zip directory: total unpacked size, each member's size and its compression ratio (real workbooks
   compress 5–25 times, bombs about 1 000 times). Python's zipfile never unpacks more than a member's
   declared size (a member that lies fails its CRC check), so the declared sizes bound the work;
2. the parts openpyxl reads whole (the shared strings, the styles) and the first sheet are streamed through
   expat, which counts and measures without keeping anything: the number of shared strings and cell
   formats, the rows of the sheet (blank rows count, and so does a row number that skips ahead, since
   openpyxl fills the gap) and the length of every text, stopping at the first limit passed;
3. openpyxl then streams the first sheet in read-only mode, each row cut to the columns read and each
   cell checked for length (rich text is measured whole only here).

XML never gets a document type or entities: expat here refuses them, and openpyxl uses defusedxml (a
dependency for that reason; openpyxl's documentation asks for it).
"""

import zipfile
from dataclasses import dataclass
from xml.parsers import expat

from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

MB = 1024 * 1024
CHUNK_BYTES = 1024 * 1024


@dataclass(frozen=True)
class XlsxLimits:
    max_total_bytes: int = 50 * MB  # all members unpacked
    max_member_bytes: int = 25 * MB  # one member unpacked
    max_ratio: int = 100  # unpacked size / packed size, for members above ratio_floor
    ratio_floor: int = 1 * MB
    max_rows: int = 10_000  # rows read from the sheet, blank ones included
    max_columns: int = 100  # columns read from each row
    max_cell_chars: int = 32_767  # Excel's own limit for one cell
    max_shared_strings: int = 200_000
    max_cell_formats: int = 70_000  # Excel allows 64 000


XLSX_LIMITS = XlsxLimits()


class ArchiveRefused(ValidationError):
    """The file is not read; the message says why, in words for the person uploading."""


def _number(value: int) -> str:
    return number_format(value, force_grouping=True)


def _damaged() -> ArchiveRefused:
    return ArchiveRefused(_("The Excel file is damaged and cannot be read."))


def check_zip(file, limits: XlsxLimits = XLSX_LIMITS) -> None:
    """Sizes and compression ratios from the zip directory alone (nothing is unpacked)."""
    try:
        with zipfile.ZipFile(file) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as error:
        raise _damaged() from error
    finally:
        file.seek(0)
    total = 0
    for member in members:
        total += member.file_size
        if member.file_size > limits.max_member_bytes:
            raise ArchiveRefused(
                _("A part of the Excel file unpacks to more than %(limit)s MB. Save the data in a new workbook.")
                % {"limit": _number(limits.max_member_bytes // MB)}
            )
        if total > limits.max_total_bytes:
            raise ArchiveRefused(
                _("The Excel file unpacks to more than %(limit)s MB. Remove pictures and other sheets, or split it.")
                % {"limit": _number(limits.max_total_bytes // MB)}
            )
        if member.file_size > limits.ratio_floor and member.file_size > limits.max_ratio * max(member.compress_size, 1):
            raise ArchiveRefused(
                _("The Excel file is packed in an unusual way and is not read. Save the data in a new workbook.")
            )


class _Scanner:
    """Streams one XML member through expat: counts one element, measures every text, reads row numbers."""

    def __init__(self, limits: XlsxLimits, *, counted: str, max_count: int, too_many):
        self.limits, self.counted, self.max_count, self.too_many = limits, counted, max_count, too_many
        self.count = self.text = self.row = 0

    def start(self, tag: str, attributes: dict) -> None:
        name = tag.rsplit("}", 1)[-1]
        self.text = 0
        if name == self.counted:
            self.count += 1
            if self.count > self.max_count:
                raise self.too_many
        if name == "row":
            number = attributes.get("r", "")
            self.row = int(number) if number.isdigit() else self.row + 1
            if self.row > self.limits.max_rows:
                raise too_many_rows(self.limits)

    def data(self, text: str) -> None:
        self.text += len(text)
        if self.text > self.limits.max_cell_chars:
            raise too_long(self.limits, self.row)

    def scan(self, archive: zipfile.ZipFile, name: str) -> None:
        parser = expat.ParserCreate(namespace_separator="}")
        parser.StartElementHandler = self.start
        parser.CharacterDataHandler = self.data
        parser.StartDoctypeDeclHandler = parser.EntityDeclHandler = _forbid
        try:
            with archive.open(name) as member:
                while chunk := member.read(CHUNK_BYTES):
                    parser.Parse(chunk, False)
            parser.Parse(b"", True)
        except (expat.ExpatError, zipfile.BadZipFile, OSError, EOFError) as error:
            raise _damaged() from error


def _forbid(*_args) -> None:
    raise _damaged()


def too_many_rows(limits: XlsxLimits) -> ArchiveRefused:
    return ArchiveRefused(
        _(
            "The sheet has more than %(max)s rows (empty rows count too). Delete the empty rows below your data, "
            "or split the file."
        )
        % {"max": _number(limits.max_rows)}
    )


def too_long(limits: XlsxLimits, row: int) -> ArchiveRefused:
    values = {"row": row, "max": _number(limits.max_cell_chars)}
    if row:
        return ArchiveRefused(
            _("Row %(row)s has a cell longer than %(max)s characters, more than Excel allows.") % values
        )
    return ArchiveRefused(
        _("The Excel file has a text longer than %(max)s characters, more than Excel allows.") % values
    )


def _scan_parts(reader, limits: XlsxLimits) -> None:
    """The shared strings, the styles and the first sheet, measured before openpyxl reads them."""
    from openpyxl.xml.constants import ARC_STYLE, SHARED_STRINGS

    archive = reader.archive
    names = set(reader.valid_files)
    strings = reader.package.find(SHARED_STRINGS)
    if strings is not None and strings.PartName[1:] in names:
        too_many = ArchiveRefused(
            _("The Excel file has more than %(max)s different texts. Split it into smaller files.")
            % {"max": _number(limits.max_shared_strings)}
        )
        _Scanner(limits, counted="si", max_count=limits.max_shared_strings, too_many=too_many).scan(
            archive, strings.PartName[1:]
        )
    if ARC_STYLE in names:
        too_many = ArchiveRefused(
            _("The Excel file has more than %(max)s cell formats. Copy the data into a new workbook.")
            % {"max": _number(limits.max_cell_formats)}
        )
        _Scanner(limits, counted="xf", max_count=limits.max_cell_formats, too_many=too_many).scan(archive, ARC_STYLE)
    for _sheet, relation in reader.parser.find_sheets():
        if relation.target in names and "chartsheet" not in relation.Type:
            _Scanner(limits, counted="row", max_count=limits.max_rows, too_many=too_many_rows(limits)).scan(
                archive, relation.target
            )
            return


def xlsx_rows(file, limits: XlsxLimits = XLSX_LIMITS):
    """(row number, values) for every row of the first sheet, blank rows included, each `max_columns` wide.
    Raises ArchiveRefused, also while iterating."""
    from openpyxl.reader.excel import ExcelReader

    check_zip(file, limits)
    try:
        reader = ExcelReader(file, read_only=True, data_only=True)
        reader.read_manifest()
        reader.read_workbook()
        _scan_parts(reader, limits)
        reader.read()
    except ArchiveRefused:
        raise
    except Exception as error:  # openpyxl raises many kinds for damaged files
        raise _damaged() from error
    workbook = reader.wb
    try:
        if not workbook.worksheets:
            raise _damaged()
        rows = workbook.worksheets[0].iter_rows(max_col=limits.max_columns, values_only=True)
        for number, values in enumerate(rows, start=1):
            for value in values:
                if isinstance(value, str) and len(value) > limits.max_cell_chars:
                    raise too_long(limits, number)
            yield number, list(values)
    except ArchiveRefused:
        raise
    except Exception as error:  # a damaged sheet shows only when it is read
        raise _damaged() from error
    finally:
        workbook.close()
