"""Peak memory and time of the spreadsheet import path on hostile .xlsx files (issue 11 item 4).

Builds three small "bombs" and one ordinary workbook, then reads each through
`kompetansebro.transfer.readers.read_upload` (what the import page calls first) in a fresh subprocess:

- `cell-300mb`: one cell holding 300 MB of text (the file is about 0.3 MB);
- `blank-700k`: 700 000 blank rows below the header;
- `strings-1.2m`: 1 200 000 shared strings;
- `ordinary-5000`: a real needs workbook of 5 000 rows (what must keep working).

Usage (the code measured is whichever `kompetansebro` PYTHONPATH points at; default: this checkout):

    .venv/bin/python bench/xlsx_bomb.py
    cd /work/main && PYTHONPATH=/work/main .venv/bin/python /path/to/bench/xlsx_bomb.py   # another tree

Figures per case: resident memory after Django is set up, the peak during the read (both MB), wall time
(seconds) and the outcome (rows read, or the refusal). Results belong in docs/performance.md.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="xl/workbook.xml" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>'
    "</Relationships>"
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="behov" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="worksheets/sheet1.xml" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"/>'
    '<Relationship Id="rId2" Target="sharedStrings.xml" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/>'
    "</Relationships>"
)
SHEET_START = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
SHEET_END = "</sheetData></worksheet>"
SST_START = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
HEADER_ROW = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>external_id</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>title</t></is></c></row>'
)


def inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def write_workbook(path: Path, sheet_chunks, shared_chunks=()) -> None:
    """A minimal .xlsx whose sheet and shared strings are written from iterators (never whole in memory)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        for name, chunks in (("xl/worksheets/sheet1.xml", sheet_chunks), ("xl/sharedStrings.xml", shared_chunks)):
            with archive.open(name, "w", force_zip64=True) as member:
                for chunk in chunks or [SST_START + "</sst>"]:
                    member.write(chunk.encode())


def huge_cell(path: Path) -> None:
    def sheet():
        yield SHEET_START + HEADER_ROW + '<row r="2">' + inline("A2", "B-1") + '<c r="B2" t="inlineStr"><is><t>'
        block = "A" * (1024 * 1024)
        for _ in range(300):
            yield block
        yield "</t></is></c></row>" + SHEET_END

    write_workbook(path, sheet())


def blank_rows(path: Path) -> None:
    """As Excel writes rows that were formatted and then emptied: a styled empty cell, 22 columns wide."""

    def sheet():
        yield SHEET_START.replace("<sheetData>", '<dimension ref="A1:V700001"/><sheetData>') + HEADER_ROW
        for start in range(2, 700_002, 10_000):
            end = min(start + 10_000, 700_002)
            yield "".join(f'<row r="{number}"><c r="A{number}" s="1"/></row>' for number in range(start, end))
        yield SHEET_END

    write_workbook(path, sheet())


def shared_strings(path: Path) -> None:
    def sst():
        yield SST_START
        for _ in range(120):
            yield "<si><t>x</t></si>" * 10_000
        yield "</sst>"

    def sheet():
        yield SHEET_START + HEADER_ROW + '<row r="2">' + inline("A2", "S-1") + '<c r="B2" t="s"><v>0</v></c></row>'
        yield SHEET_END

    write_workbook(path, sheet(), sst())


def ordinary(path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("behov")
    sheet.append(["external_id", "title", "description", "field", "level", "persons", "municipality", "wanted_start"])
    for number in range(5000):
        sheet.append(
            [
                f"B-{number}",
                f"Velferdsteknologi i hjemmetjenesten {number}",
                "Tre ansatte trenger opplæring i bruk av digitalt tilsyn og medisindispensere. " * 3,
                "Helse og omsorg",
                "kurs",
                3,
                "Røros",
                "15.01.2027",
            ]
        )
    workbook.save(path)


CASES = {"cell-300mb": huge_cell, "blank-700k": blank_rows, "strings-1.2m": shared_strings, "ordinary-5000": ordinary}


def rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1024 / 1024


def child(path: str) -> None:
    """Runs in the subprocess: set Django up, then read the file as the import page would."""
    if not any(Path(entry or ".").resolve().joinpath("kompetansebro").is_dir() for entry in sys.path):
        sys.path.append(str(REPO))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kompetansebro.settings")
    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile

    import kompetansebro
    from kompetansebro.transfer.readers import UploadError, read_upload

    upload = SimpleUploadedFile(Path(path).name, Path(path).read_bytes())
    before = rss_mb()
    start = time.perf_counter()
    try:
        table = read_upload(upload)
        outcome = f"read {len(table.rows)} rows"
    except UploadError as error:
        outcome = "refused: " + " ".join(str(message) for message in error.messages)
    except Exception as error:  # noqa: BLE001 - the bench reports whatever happened
        outcome = f"{type(error).__name__}: {error}"[:200]
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {"code": str(Path(kompetansebro.__file__).parent.parent), "rss_before": before, "rss_peak": peak}
            | {"seconds": seconds, "outcome": outcome}
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--only", action="append", choices=sorted(CASES), help="run only these cases")
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    with tempfile.TemporaryDirectory() as directory:
        rows = []
        for name in args.only or list(CASES):
            path = Path(directory) / f"{name}.xlsx"
            CASES[name](path)
            result = subprocess.run(  # noqa: S603 - this interpreter, this script
                [sys.executable, __file__, "--child", str(path)], capture_output=True, text=True, check=False
            )
            if result.returncode != 0 or not result.stdout.strip():
                print(result.stderr, file=sys.stderr)
                raise SystemExit(f"{name}: the subprocess failed")
            figures = json.loads(result.stdout.strip().splitlines()[-1])
            rows.append((name, path.stat().st_size / 1024 / 1024, figures))
    print(f"code: {rows[0][2]['code']}")
    print("| case | file (MB) | RSS before (MB) | peak RSS (MB) | seconds | outcome |")
    print("|---|---:|---:|---:|---:|---|")
    for name, size, figures in rows:
        print(
            f"| {name} | {size:.2f} | {figures['rss_before']:.0f} | {figures['rss_peak']:.0f} "
            f"| {figures['seconds']:.2f} | {figures['outcome']} |"
        )


if __name__ == "__main__":
    main()
