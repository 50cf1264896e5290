"""Reading uploaded spreadsheets: encodings, separators, Norwegian numbers, dates and yes/no, upload checks."""

import io
import zipfile
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from kompetansebro.transfer import readers
from kompetansebro.transfer.readers import CellError, UploadError

pytestmark = pytest.mark.usefixtures("english")


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def xlsx_bytes(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_csv_in_windows_1252_with_semicolons():
    content = "Tittel;Nivå;Poeng\nHelsefagarbeider på jobb;fagbrev;7,5\n".encode("cp1252")
    table = readers.read_upload(upload("behov.csv", content))
    assert table.headers == ["tittel", "niva", "poeng"]
    assert table.labels["niva"] == "Nivå"
    assert table.rows == [(2, {"tittel": "Helsefagarbeider på jobb", "niva": "fagbrev", "poeng": "7,5"})]


def test_csv_in_utf8_with_bom_and_commas_keeps_quoted_commas():
    content = '\ufefftitle,tags\n"Sveis","sveis, mig"\n\n'.encode()
    table = readers.read_upload(upload("tilbud.csv", content))
    assert table.headers == ["title", "tags"]
    assert table.rows == [(2, {"title": "Sveis", "tags": "sveis, mig"})]


def test_xlsx_first_sheet_with_header_row():
    content = xlsx_bytes([["Tittel", "Oppstart", "Pris"], ["Kurs", date(2026, 11, 22), 9500], [None, None, None]])
    table = readers.read_upload(upload("tilbud.xlsx", content))
    assert table.headers == ["tittel", "oppstart", "pris"]
    assert len(table.rows) == 1
    number, row = table.rows[0]
    assert number == 2 and row["tittel"] == "Kurs" and row["pris"] == 9500


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7,5", "7.5"),
        ("1 234,5", "1234.5"),
        ("1\u00a0234,50", "1234.50"),
        ("1.234,50", "1234.50"),
        ("7.5", "7.5"),
        ("kr 9 500", "9500"),
        (12, "12"),
        (7.5, "7.5"),
        ("", None),
    ],
)
def test_decimal_comma(text, expected):
    assert readers.parse_decimal(text) == (Decimal(expected) if expected else None)


def test_bad_numbers_dates_and_booleans_say_what_is_expected():
    with pytest.raises(CellError, match="number"):
        readers.parse_decimal("sju")
    with pytest.raises(CellError, match="whole number"):
        readers.parse_int("2,5")
    with pytest.raises(CellError, match="22.11.2026"):
        readers.parse_date("22/13/2026x")
    with pytest.raises(CellError, match="ja or nei"):
        readers.parse_bool("kanskje")


@pytest.mark.parametrize("text", ["22.11.2026", "2026-11-22", date(2026, 11, 22)])
def test_dates(text):
    assert readers.parse_date(text) == date(2026, 11, 22)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ja", True),
        ("Nei", False),
        ("x", True),
        ("1", True),
        ("0", False),
        ("true", True),
        ("FALSE", False),
        ("", None),
    ],
)
def test_booleans(text, expected):
    assert readers.parse_bool(text) is expected


def test_html_disguised_as_xlsx_is_refused():
    with pytest.raises(UploadError, match="not an Excel workbook"):
        readers.read_upload(upload("behov.xlsx", b"<html><body>hei</body></html>"))


def test_zip_without_workbook_parts_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    with pytest.raises(UploadError, match="not an Excel workbook"):
        readers.read_upload(upload("behov.xlsx", buffer.getvalue()))


def test_html_disguised_as_csv_is_refused():
    with pytest.raises(UploadError, match="web page"):
        readers.read_upload(upload("behov.csv", b"<!DOCTYPE html><html></html>"))


def test_binary_disguised_as_csv_is_refused():
    with pytest.raises(UploadError, match="not a text file"):
        readers.read_upload(upload("behov.csv", xlsx_bytes([["a"]])))


def test_other_extensions_are_refused():
    with pytest.raises(UploadError, match=".xlsx"):
        readers.read_upload(upload("behov.xls", b"a;b\n1;2\n"))


def test_oversized_upload_is_refused():
    content = b"title\n" + b"x" * (readers.MAX_UPLOAD_BYTES + 1)
    with pytest.raises(UploadError, match="too large"):
        readers.read_upload(upload("behov.csv", content))
