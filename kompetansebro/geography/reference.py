"""Loading SSB reference data from the CSV files kept in the repository.

The whole load is one transaction: a malformed file changes nothing and the error names the line."""

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from kompetansebro.core.text import norwegian_slug
from kompetansebro.geography.models import County, Municipality, Region, RegionKind

DATA_DIR = Path(__file__).resolve().parent / "data"
MUNICIPALITY_COLUMNS = [
    "municipality_number",
    "name",
    "county_number",
    "county_name",
    "centrality_class",
    "centrality_index",
    "population",
    "population_year",
]
REGION_COLUMNS = ["region_code", "region_name", "kind", "county_number", "member_municipality_numbers"]


class ReferenceDataError(Exception):
    def __init__(self, path: Path, line: int, message: str):
        super().__init__(f"{path.name}, line {line}: {message}")
        self.path, self.line, self.message = path, line, message


@dataclass
class LoadResult:
    counties: int = 0
    municipalities_created: int = 0
    municipalities_updated: int = 0
    regions_created: int = 0
    regions_updated: int = 0


def _read_rows(path: Path, required: list[str]):
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [column for column in required if column not in (reader.fieldnames or [])]
            if missing:
                raise ReferenceDataError(path, 1, f"missing column(s): {', '.join(missing)}")
            for row in reader:
                if None in row or any(value is None for value in row.values()):
                    raise ReferenceDataError(path, reader.line_num, "wrong number of columns")
                yield reader.line_num, {key: value.strip() for key, value in row.items()}
    except UnicodeDecodeError as error:
        raise ReferenceDataError(path, 0, "the file is not UTF-8") from error


def _int(path, line, row, column, low, high):
    value = row[column]
    if not re.fullmatch(r"\d+", value) or not low <= int(value) <= high:
        raise ReferenceDataError(path, line, f"{column} must be a whole number {low}–{high}, got {value!r}")
    return int(value)


def _parse_municipalities(path: Path) -> list[dict]:
    parsed, seen = [], set()
    for line, row in _read_rows(path, MUNICIPALITY_COLUMNS):
        number = row["municipality_number"]
        if not re.fullmatch(r"\d{4}", number):
            raise ReferenceDataError(path, line, f"municipality_number must be four digits, got {number!r}")
        if number in seen:
            raise ReferenceDataError(path, line, f"municipality {number} appears twice")
        seen.add(number)
        if not re.fullmatch(r"\d{2}", row["county_number"]) or not number.startswith(row["county_number"]):
            raise ReferenceDataError(path, line, "county_number must be the first two digits of the municipality")
        if not row["name"] or not row["county_name"]:
            raise ReferenceDataError(path, line, "name and county_name are required")
        parsed.append(
            {
                "number": number,
                "name": row["name"],
                "county_number": row["county_number"],
                "county_name": row["county_name"],
                "centrality_class": _int(path, line, row, "centrality_class", 1, 6),
                "centrality_index": _int(path, line, row, "centrality_index", 0, 1000),
                "population": _int(path, line, row, "population", 0, 10_000_000),
                "population_year": _int(path, line, row, "population_year", 1900, 2100),
            }
        )
    if not parsed:
        raise ReferenceDataError(path, 1, "the file has no rows")
    return parsed


def _parse_regions(path: Path, known_numbers: set[str]) -> list[dict]:
    parsed = []
    kinds = set(RegionKind.values)
    for line, row in _read_rows(path, REGION_COLUMNS):
        code = row["region_code"]
        if not code or norwegian_slug(code) != code:
            raise ReferenceDataError(path, line, f"region_code must be a slug (a-z, 0-9, -), got {code!r}")
        if row["kind"] not in kinds:
            raise ReferenceDataError(path, line, f"kind must be one of {', '.join(sorted(kinds))}")
        members = [number.strip() for number in row["member_municipality_numbers"].split(";") if number.strip()]
        unknown = [number for number in members if number not in known_numbers]
        if not members or unknown:
            raise ReferenceDataError(path, line, f"unknown or missing member municipalities: {', '.join(unknown)}")
        parsed.append({**row, "members": members})
    return parsed


@transaction.atomic
def reference_load(*, data_dir: Path = DATA_DIR) -> LoadResult:
    municipalities_path = data_dir / "municipalities_2024.csv"
    regions_path = data_dir / "regions.csv"
    municipality_rows = _parse_municipalities(municipalities_path)
    region_rows = _parse_regions(regions_path, {row["number"] for row in municipality_rows})

    result = LoadResult()
    counties = {}
    for row in municipality_rows:
        if row["county_number"] not in counties:
            county, _ = County.objects.update_or_create(
                number=row["county_number"], defaults={"name": row["county_name"]}
            )
            counties[row["county_number"]] = county
    result.counties = len(counties)

    existing = {municipality.number: municipality for municipality in Municipality.objects.all()}
    fields = ["name", "centrality_class", "centrality_index", "population", "population_year"]
    to_create, to_update = [], []
    for row in municipality_rows:
        municipality = existing.get(row["number"])
        values = {name: row[name] for name in fields}
        if municipality is None:
            to_create.append(Municipality(number=row["number"], county=counties[row["county_number"]], **values))
        elif any(getattr(municipality, name) != value for name, value in values.items()) or (
            municipality.county_id != counties[row["county_number"]].pk
        ):
            for name, value in values.items():
                setattr(municipality, name, value)
            municipality.county = counties[row["county_number"]]
            to_update.append(municipality)
    Municipality.objects.bulk_create(to_create)
    Municipality.objects.bulk_update(to_update, [*fields, "county"])
    result.municipalities_created, result.municipalities_updated = len(to_create), len(to_update)

    by_number = {municipality.number: municipality for municipality in Municipality.objects.all()}
    for county in counties.values():
        members = [m for m in by_number.values() if m.county_id == county.pk]
        _sync_region(
            result,
            code=f"fylke-{county.number}-{norwegian_slug(county.name)}",
            name=county.name,
            kind=RegionKind.COUNTY,
            county=county,
            members=members,
        )
    for row in region_rows:
        _sync_region(
            result,
            code=row["region_code"],
            name=row["region_name"],
            kind=row["kind"],
            county=counties.get(row["county_number"]),
            members=[by_number[number] for number in row["members"]],
        )
    return result


def _sync_region(result: LoadResult, *, code, name, kind, county, members) -> None:
    """A county-level region is identified by its county, so renaming its code updates it in place."""
    identity = {"kind": RegionKind.COUNTY, "county": county} if kind == RegionKind.COUNTY else {"code": code}
    region, created = Region.objects.get_or_create(
        **identity, defaults={"code": code, "name": name, "kind": kind, "county": county, "is_reference": True}
    )
    changed = False
    current = (region.code, region.name, region.kind, region.county_id)
    if not created and current != (code, name, kind, county.pk if county else None):
        region.code, region.name, region.kind, region.county = code, name, kind, county
        region.version += 1
        region.save(update_fields=["code", "name", "kind", "county", "version", "updated_at"])
        changed = True
    wanted = {municipality.pk for municipality in members}
    if set(region.municipalities.values_list("pk", flat=True)) != wanted:
        region.municipalities.set(wanted)
        changed = True
    if created:
        result.regions_created += 1
    elif changed:
        result.regions_updated += 1
