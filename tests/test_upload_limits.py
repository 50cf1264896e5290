""".xlsx bombs (issue 11 item 4): small files that unpack to huge cells, hundreds of thousands of blank rows,
too many shared strings or cell formats, or XML entities are refused with a message before openpyxl reads
them; what Excel itself can hold still imports. Each bomb is built here, in memory, and is small."""

import io
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl.reader.excel import ExcelReader

from kompetansebro.transfer.readers import UploadError, read_upload

pytestmark = pytest.mark.usefixtures("english")  # numbers are grouped with a no-break space in both languages

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
STRINGS_TYPE = (
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="xl/workbook.xml" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/></Relationships>'
)
WORKBOOK = (
    f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="behov" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="worksheets/sheet1.xml" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"/></Relationships>'
)
HEADER = '<row r="1"><c r="A1" t="inlineStr"><is><t>title</t></is></c></row>'


def sheet(rows: str, prefix: str = "") -> str:
    start = f'<?xml version="1.0" encoding="UTF-8"?>{prefix}<worksheet xmlns="{MAIN}">'
    return f"{start}<sheetData>{HEADER}{rows}</sheetData></worksheet>"


def inline(row: int, text: str) -> str:
    return f'<row r="{row}"><c r="A{row}" t="inlineStr"><is><t>{text}</t></is></c></row>'


def xlsx(sheet_xml: str, *, strings: str | None = None, styles: str | None = None, workbook: str = WORKBOOK):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        types = CONTENT_TYPES if strings is None else CONTENT_TYPES.replace("</Types>", STRINGS_TYPE + "</Types>")
        archive.writestr("[Content_Types].xml", types)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", workbook)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet_xml)
        if strings is not None:
            archive.writestr("xl/sharedStrings.xml", f'<?xml version="1.0"?><sst xmlns="{MAIN}">{strings}</sst>')
        if styles is not None:
            archive.writestr("xl/styles.xml", f'<?xml version="1.0"?><styleSheet xmlns="{MAIN}">{styles}</styleSheet>')
    return SimpleUploadedFile("behov.xlsx", buffer.getvalue())


@pytest.fixture
def openpyxl_must_not_read(monkeypatch):
    """A refusal from the zip directory or the scan must come before openpyxl reads the workbook."""

    def fail(_self):
        raise AssertionError("openpyxl read the workbook")

    monkeypatch.setattr(ExcelReader, "read", fail)


def refusal(upload) -> str:
    with pytest.raises(UploadError) as caught:
        read_upload(upload)
    return " ".join(caught.value.messages)


def test_a_small_file_with_a_huge_cell_is_refused_from_the_zip_directory(openpyxl_must_not_read):
    upload = xlsx(sheet(inline(2, "A" * (30 * 1024 * 1024))))
    assert upload.size < 100_000
    assert "unpacks to more than 25 MB" in refusal(upload)


def test_a_part_packed_like_a_bomb_is_refused(openpyxl_must_not_read):
    upload = xlsx(sheet(""), strings="<si><t>x</t></si>" * 200_000)
    assert upload.size < 50_000
    assert "packed in an unusual way" in refusal(upload)


def test_blank_rows_count_and_a_row_number_that_skips_ahead_too(openpyxl_must_not_read):
    blank = "".join(f'<row r="{number}"/>' for number in range(2, 10_003))
    assert "more than 10\u00a0000 rows (empty rows count too)" in refusal(xlsx(sheet(blank)))
    repeated = '<row r="2"/>' * 10_001
    assert "more than 10\u00a0000 rows" in refusal(xlsx(sheet(repeated)))
    assert "more than 10\u00a0000 rows" in refusal(xlsx(sheet(inline(2, "Sveis") + '<row r="700000"/>')))


def test_too_many_shared_strings_or_cell_formats_are_refused(openpyxl_must_not_read):
    strings = "".join(f"<si><t>{number:x}</t></si>" for number in range(200_001))
    assert "more than 200\u00a0000 different texts" in refusal(xlsx(sheet(""), strings=strings))
    styles = f'<cellXfs count="70001">{"<xf/>" * 70_001}</cellXfs>'
    assert "more than 70\u00a0000 cell formats" in refusal(xlsx(sheet(""), styles=styles))


def test_a_cell_longer_than_excel_allows_is_refused_with_its_row(openpyxl_must_not_read):
    assert "Row 3 has a cell longer than 32\u00a0767 characters" in refusal(
        xlsx(sheet(inline(2, "Sveis") + inline(3, "B" * 32_768)))
    )


def test_rich_text_runs_that_together_pass_the_cell_limit_are_refused_while_reading():
    runs = "<r><t>" + "C" * 20_000 + "</t></r>"
    upload = xlsx(sheet('<row r="2"><c r="A2" t="s"><v>0</v></c></row>'), strings=f"<si>{runs}{runs}</si>")
    assert "Row 2 has a cell longer than 32\u00a0767 characters" in refusal(upload)


def test_xml_entities_are_refused_as_damaged_and_openpyxl_uses_defusedxml():
    assert openpyxl.DEFUSEDXML is True
    entity = '<!DOCTYPE x [<!ENTITY a "Sveis">]>'
    in_sheet = sheet(inline(2, "&a;"), prefix=entity)
    assert "damaged" in refusal(xlsx(in_sheet))
    in_workbook = WORKBOOK.replace("<workbook ", entity + "<workbook ", 1).replace("behov", "&a;")
    assert "damaged" in refusal(xlsx(sheet(inline(2, "Sveis")), workbook=in_workbook))


def test_what_excel_can_hold_still_imports():
    longest = "D" * 32_767
    rows = inline(2, longest) + "".join(f'<row r="{number}"/>' for number in range(3, 9_000)) + inline(9_000, "Sist")
    table = read_upload(xlsx(sheet(rows)))
    assert [row["title"] for _number, row in table.rows] == [longest, "Sist"]
    assert [number for number, _row in table.rows] == [2, 9_000]
    assert table.headers == ["title"]
