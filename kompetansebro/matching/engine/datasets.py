"""Reading the JSON Lines exchange format (docs/data-formats.md) into the engine's documents."""

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from .engine import NeedDoc, OfferingDoc


class DatasetError(ValueError):
    """A line that cannot be read, with its file and line number."""


def _lines(path: Path) -> Iterator[tuple[int, dict]]:
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                raise DatasetError(f"{path}:{number}: not valid JSON ({error.msg})") from error
            if not isinstance(record, dict) or not record.get("id"):
                raise DatasetError(f"{path}:{number}: expected an object with an 'id'")
            yield number, record


def _date(value, path, number) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError) as error:
        raise DatasetError(f"{path}:{number}: '{value}' is not an ISO date") from error


def read_offerings(path: Path) -> list[OfferingDoc]:
    return [
        OfferingDoc(
            id=str(record["id"]),
            title=record.get("title") or "",
            description=record.get("description") or "",
            tags=tuple(record.get("tags") or ()),
            provider=record.get("provider") or "",
            field=record.get("field") or None,
            level=record.get("level") or None,
            delivery=frozenset(record.get("delivery") or ()),
            continuous_admission=bool(record.get("continuous_admission")),
            gathering_locations=tuple(record.get("gathering_locations") or ()),
            start=_date(record.get("start"), path, number),
        )
        for number, record in _lines(path)
    ]


def read_needs(path: Path) -> list[NeedDoc]:
    return [
        NeedDoc(
            id=str(record["id"]),
            title=record.get("title") or "",
            description=record.get("description") or "",
            tags=tuple(record.get("tags") or ()),
            field=record.get("field") or None,
            level=record.get("level_wish") or None,
            delivery=frozenset(record.get("delivery_wish") or ()),
            combined_work_education=bool(record.get("combined_work_education")),
            wanted_start=_date(record.get("desired_start"), path, number),
            municipality=record.get("municipality") or None,
            persons=int(record.get("persons") or 1),
        )
        for number, record in _lines(path)
    ]


def read_qrels(path: Path) -> dict[str, dict[str, int]]:
    """need id → {offering id: grade}, from `need<TAB>offering<TAB>grade` lines."""
    qrels: dict[str, dict[str, int]] = {}
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            parts = line.split()
            if len(parts) != 3 or not parts[2].isdigit():
                raise DatasetError(f"{path}:{number}: expected 'need<TAB>offering<TAB>grade'")
            qrels.setdefault(parts[0], {})[parts[1]] = int(parts[2])
    return qrels
