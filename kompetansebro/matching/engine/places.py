"""Whether a gathering place is within reach of a need's municipality, from the SSB reference data.

Reach is judged by administrative closeness, the data the platform has: the same municipality, a region
they share (an inter-municipal council), the same county, or farther. Names and numbers both work, so the
JSON Lines files (names) and the database (numbers) use the same object.
"""

import csv
import io
from collections import defaultdict
from enum import IntEnum
from functools import cache
from importlib import resources


class Reach(IntEnum):
    FAR = 0
    COUNTY = 1
    REGION = 2
    SAME = 3


class Places:
    def __init__(
        self,
        county_of: dict[str, str],
        regions_of: dict[str, set[str]],
        number_of: dict[str, str],
        name_of: dict[str, str] | None = None,
    ):
        self._name_of = name_of or {}
        self._county_of = county_of
        self._regions_of = regions_of
        self._number_of = number_of

    def number(self, municipality: str | None) -> str | None:
        """The municipality number of a number or a name ("Oslo", "Aarborte - Hattfjelldal", "Hattfjelldal")."""
        if not municipality:
            return None
        key = municipality.strip()
        if key in self._county_of:
            return key
        return self._number_of.get(key.lower())

    def name(self, municipality: str) -> str:
        """The name of a municipality given by number; anything else as it is."""
        return self._name_of.get(municipality, municipality)

    def reach(self, home: str | None, place: str | None) -> Reach | None:
        home_number, place_number = self.number(home), self.number(place)
        if home_number is None or place_number is None:
            return None
        if home_number == place_number:
            return Reach.SAME
        if self._regions_of.get(home_number, set()) & self._regions_of.get(place_number, set()):
            return Reach.REGION
        if self._county_of[home_number] == self._county_of[place_number]:
            return Reach.COUNTY
        return Reach.FAR

    def best_reach(self, home: str | None, places: list[str]) -> Reach | None:
        reaches = [reach for reach in (self.reach(home, place) for place in places) if reach is not None]
        return max(reaches) if reaches else None


def _read(name: str) -> list[dict]:
    text = resources.files("kompetansebro.geography").joinpath(f"data/{name}").read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


@cache
def default_places() -> Places:
    county_of, number_of, name_of = {}, {}, {}
    for row in _read("municipalities_2024.csv"):
        number = row["municipality_number"]
        county_of[number] = row["county_number"]
        name_of[number] = row["name"]
        names = [row["name"], *row["name"].split(" - ")]
        for name in names:
            number_of.setdefault(name.strip().lower(), number)
    regions_of: dict[str, set[str]] = defaultdict(set)
    for row in _read("regions.csv"):
        for number in row["member_municipality_numbers"].split(";"):
            if number:
                regions_of[number].add(row["region_code"])
    return Places(county_of, dict(regions_of), number_of, name_of)
