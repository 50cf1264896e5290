"""Ranks education offerings for a competence need, with reasons.

The score adds up evidence the way an advisor weighs it:

* **text**: BM25 (bm25s) between the need and the offering (title counted twice, tags, description) over
  Norwegian stems, compound parts and the concepts of the domain vocabulary;
* **topics**: the share of the need's concepts the offering covers, weighted by how rare each concept is;
* **field**: whether the offering is in the need's field of competence (given, or read from its concepts);
* **level** and **form**: the wished level, delivery, combining with work, and the conditions written in
  the description (cannot travel, must be in the workplace, must start before a date), and whether the
  gathering places are within reach of the need's municipality.

Text and topics decide what an offering is about; the structured parts reorder offerings on the same
subject, and an offering that breaks a stated condition falls below those that keep it.
"""

import logging
import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import bm25s
import numpy as np

from .places import Places, Reach, default_places
from .reasons import Reason
from .text import Lexicon, analyse, stem
from .vocabulary import Vocabulary, default_vocabulary, positions

LEVEL_RANK = {
    "kurs": 0,
    "sertifisering": 0,
    "fagbrev": 1,
    "vgs": 1,
    "fagskole": 2,
    "videreutdanning": 3,
    "bachelor": 3,
    "master": 4,
}
# bm25s sets its own logger to DEBUG when imported and logs every index build.
logging.getLogger("bm25s").setLevel(logging.WARNING)

OSLO = ZoneInfo("Europe/Oslo")
ATTENDANCE = frozenset({"campus", "samlingsbasert"})
NO_TRAVEL = frozenset({"nett", "i_bedrift", "desentralisert"})
CONSTRAINT_LEVELS = {
    "trade-certificate": {"fagbrev", "vgs"},
    "recruit-and-train": {"fagbrev"},
    "master": {"master"},
    "vocational-college": {"fagskole"},
    "credits": {"videreutdanning", "bachelor", "master"},
    "short": {"kurs", "sertifisering"},
    "certificate": {"sertifisering", "kurs"},
}


@dataclass(frozen=True)
class OfferingDoc:
    id: str
    title: str
    description: str = ""
    tags: tuple[str, ...] = ()
    provider: str = ""
    field: str | None = None
    level: str | None = None
    delivery: frozenset[str] = frozenset()
    continuous_admission: bool = False
    gathering_locations: tuple[str, ...] = ()
    start: date | None = None


@dataclass(frozen=True)
class NeedDoc:
    id: str
    description: str
    title: str = ""
    tags: tuple[str, ...] = ()
    field: str | None = None
    level: str | None = None
    delivery: frozenset[str] = frozenset()
    combined_work_education: bool = False
    wanted_start: date | None = None
    municipality: str | None = None
    persons: int = 1


@dataclass
class Match:
    offering: str
    score: float
    reasons: list[Reason] = field(default_factory=list)


@dataclass(frozen=True)
class Weights:
    text: float = 0.45
    topics: float = 0.40
    field: float = 0.15
    field_mismatch: float = 0.25
    level: float = 0.12
    delivery: float = 0.05
    travel_broken: float = 0.30
    place: float = 0.05
    combined: float = 0.04
    start: float = 0.05
    deadline_broken: float = 0.20
    concept_repeat: int = 3


@dataclass
class _Analysed:
    tokens: list[str]
    concepts: dict[str, int]
    fields: Counter
    heading: list[str]
    top_fields: set[str]


class MatchEngine:
    """Holds the analysed catalogue; `rank` a need against it. No database and no web code inside."""

    def __init__(
        self,
        offerings: list[OfferingDoc],
        vocabulary: Vocabulary | None = None,
        constraints: Vocabulary | None = None,
        places: Places | None = None,
        weights: Weights | None = None,
    ):
        self.vocabulary = vocabulary or default_vocabulary()
        self.constraints = constraints or default_constraints()
        self.places = places or default_places()
        self.weights = weights or Weights()
        self.lexicon = Lexicon(self.vocabulary.stems())
        for offering in offerings:
            self.lexicon.add(analyse(f"{offering.title} {' '.join(offering.tags)}"))
        self.offerings: list[OfferingDoc] = []
        self._analysed: list[_Analysed] = []
        self._position: dict[str, int] = {}
        self._retriever = None
        self.set_offerings(offerings)

    # --- the catalogue ----------------------------------------------------------------------------------
    def set_offerings(self, offerings: list[OfferingDoc]) -> None:
        self.offerings = list(offerings)
        self._analysed = [self._analyse_offering(offering) for offering in self.offerings]
        self._position = {offering.id: index for index, offering in enumerate(self.offerings)}
        self._build_index()

    def upsert_offering(self, offering: OfferingDoc) -> None:
        """Add or replace one offering; only its own analysis is redone."""
        analysed = self._analyse_offering(offering)
        index = self._position.get(offering.id)
        if index is None:
            self._position[offering.id] = len(self.offerings)
            self.offerings.append(offering)
            self._analysed.append(analysed)
        else:
            self.offerings[index] = offering
            self._analysed[index] = analysed
        self._build_index()

    def remove_offering(self, offering_id: str) -> None:
        index = self._position.pop(offering_id, None)
        if index is None:
            return
        del self.offerings[index]
        del self._analysed[index]
        self._position = {offering.id: position for position, offering in enumerate(self.offerings)}
        self._build_index()

    def update_offerings(self, upserts: list[OfferingDoc] = (), removals: list[str] = ()) -> None:
        """Several `upsert_offering` / `remove_offering` at once, rebuilding the index only once."""
        removed = set(removals) - {offering.id for offering in upserts}
        if removed:
            kept = [index for index, offering in enumerate(self.offerings) if offering.id not in removed]
            self.offerings = [self.offerings[index] for index in kept]
            self._analysed = [self._analysed[index] for index in kept]
            self._position = {offering.id: position for position, offering in enumerate(self.offerings)}
        for offering in upserts:
            analysed = self._analyse_offering(offering)
            index = self._position.get(offering.id)
            if index is None:
                self._position[offering.id] = len(self.offerings)
                self.offerings.append(offering)
                self._analysed.append(analysed)
            else:
                self.offerings[index] = offering
                self._analysed[index] = analysed
        if removed or upserts:
            self._build_index()

    def _analyse_offering(self, offering: OfferingDoc) -> _Analysed:
        heading = f"{offering.title}. {' '.join(offering.tags)}"
        body = offering.description
        concepts = Counter(self._concepts(heading))
        for name, count in self._concepts(body).items():
            concepts[name] += count
        tokens = 2 * analyse(offering.title, self.lexicon)
        tokens += analyse(" ".join(offering.tags), self.lexicon) + analyse(body, self.lexicon)
        tokens += [f"#{name}" for name in concepts for _ in range(self.weights.concept_repeat)]
        fields = Counter()
        for name, count in concepts.items():
            fields[self.vocabulary.concepts[name].field] += count
        if offering.field:
            fields = Counter({offering.field: 1})
        return _Analysed(tokens, dict(concepts), fields, analyse(heading), _top_fields(fields))

    def _build_index(self) -> None:
        """BM25 over the analysed catalogue, plus one array per structured field for vectorised scoring."""
        count = len(self.offerings)
        postings: dict[str, list[int]] = {}
        for index, analysed in enumerate(self._analysed):
            for name in analysed.concepts:
                postings.setdefault(name, []).append(index)
        self._concept_postings = {name: np.array(indices) for name, indices in postings.items()}
        self._concept_idf = {name: math.log((count + 1) / (len(indices) + 0.5)) for name, indices in postings.items()}
        field_postings: dict[str, list[int]] = {}
        for index, analysed in enumerate(self._analysed):
            for name in analysed.top_fields:
                field_postings.setdefault(name, []).append(index)
        self._field_masks = {name: _mask(count, indices) for name, indices in field_postings.items()}
        self._has_field = _mask(count, [i for indices in field_postings.values() for i in indices])
        self._level = np.array([LEVEL_RANK.get(offering.level or "", -1) for offering in self.offerings], dtype=int)
        self._level_fits = {
            wished: np.array([_level_fit(wished, offering.level) for offering in self.offerings])
            for wished in LEVEL_RANK
        }
        self._no_level_fit = np.zeros(count)
        self._trade_certificate = np.array([offering.level == "fagbrev" for offering in self.offerings], dtype=bool)
        self._delivery = {
            mode: np.array([mode in offering.delivery for offering in self.offerings], dtype=bool)
            for mode in ("campus", "samlingsbasert", "nett", "desentralisert", "i_bedrift")
        }
        self._remote = self._delivery["nett"] | self._delivery["desentralisert"] | self._delivery["i_bedrift"]
        self._attendance = self._delivery["campus"] | self._delivery["samlingsbasert"]
        self._only_gatherings = self._delivery["samlingsbasert"] & ~self._delivery["campus"] & ~self._remote
        self._continuous = np.array([offering.continuous_admission for offering in self.offerings], dtype=bool)
        self._start = np.array(
            [offering.start.toordinal() if offering.start else 0 for offering in self.offerings], dtype=np.int64
        )
        self._reach_cache: dict[str | None, np.ndarray] = {}
        self._places = sorted({place for offering in self.offerings for place in offering.gathering_locations})
        place_index = {place: index for index, place in enumerate(self._places)}
        pairs = [
            (index, place_index[place])
            for index, offering in enumerate(self.offerings)
            for place in offering.gathering_locations
        ]
        self._location_offering = np.array([offering for offering, _ in pairs], dtype=int)
        self._location_place = np.array([place for _, place in pairs], dtype=int)
        if not count:
            self._retriever = None
            return
        self._retriever = bm25s.BM25(k1=1.2, b=0.75)
        self._retriever.index([analysed.tokens or ["∅"] for analysed in self._analysed], show_progress=False)
        self._vocabulary_ids = self._retriever.vocab_dict

    def _reach(self, municipality: str | None) -> np.ndarray:
        """Best reach of every offering's gathering places from `municipality`; -1 when unknown."""
        if municipality not in self._reach_cache:
            reach = np.full(len(self.offerings), -1, dtype=int)
            if self._location_offering.size:
                by_place = np.array(
                    [_reach_value(self.places.reach(municipality, place)) for place in self._places], dtype=int
                )
                np.maximum.at(reach, self._location_offering, by_place[self._location_place])
            self._reach_cache[municipality] = reach
        return self._reach_cache[municipality]

    def _concepts(self, text: str) -> dict[str, int]:
        return self.vocabulary.concepts_in(positions(text, self.lexicon))

    # --- ranking ---------------------------------------------------------------------------------------
    def rank(
        self,
        need: NeedDoc,
        top: int | None = 10,
        exclude: frozenset[str] = frozenset(),
        with_reasons: bool = True,
    ) -> list[Match]:
        """Offerings for `need`, best first (ties broken by id); `top=None` ranks all of them."""
        if not self.offerings:
            return []
        context = self._need_context(need)
        scores = self._scores(context)
        for offering_id in exclude:
            if offering_id in self._position:
                scores[self._position[offering_id]] = -np.inf
        candidates = np.arange(len(scores))
        if top is not None and top < len(scores):
            kth = np.partition(scores, len(scores) - top)[len(scores) - top]
            candidates = np.nonzero(scores >= kth)[0]
        order = sorted(candidates, key=lambda index: (-scores[index], self.offerings[index].id))
        result = []
        for index in order:
            if not np.isfinite(scores[index]):
                break
            reasons = self._reasons(context, index) if with_reasons else []
            result.append(Match(self.offerings[index].id, round(float(scores[index]), 4), reasons))
            if top is not None and len(result) >= top:
                break
        return result

    def score(self, need: NeedDoc, offering_id: str) -> Match | None:
        index = self._position.get(offering_id)
        if index is None:
            return None
        context = self._need_context(need)
        scores = self._scores(context)
        return Match(offering_id, round(float(scores[index]), 4), self._reasons(context, index))

    def _need_context(self, need: NeedDoc) -> dict:
        text = " ".join(part for part in (need.title, need.description, " ".join(need.tags)) if part)
        text_positions = positions(text, self.lexicon)
        concepts = self.vocabulary.concepts_in(text_positions)
        conditions = set(self.constraints.concepts_in(text_positions))
        tokens = analyse(text, self.lexicon)
        tokens += [f"#{name}" for name in concepts for _ in range(self.weights.concept_repeat)]
        fields = Counter()
        for name, count in concepts.items():
            fields[self.vocabulary.concepts[name].field] += count * self._concept_idf.get(name, 1.0)
        if need.field:
            fields[need.field] += sum(fields.values()) + 1
        levels = {need.level} if need.level else set()
        stated_levels = set().union(*(CONSTRAINT_LEVELS[name] for name in conditions if name in CONSTRAINT_LEVELS))
        return {
            "need": need,
            "tokens": tokens,
            "words": {stem(word) for word in tokens if not word.startswith("#")},
            "concepts": concepts,
            "conditions": conditions,
            "fields": fields,
            "top_fields": _top_fields(fields),
            "levels": levels,
            "stated_levels": stated_levels,
            "deadline": self._deadline(need, conditions),
        }

    @staticmethod
    def _deadline(need: NeedDoc, conditions: set[str]) -> date | None:
        """The date a stated condition sets: the coming Christmas, or the wanted start before a season."""
        if "before-christmas" in conditions:
            today = need.wanted_start or datetime.now(OSLO).date()
            christmas = date(today.year, 12, 23)
            return christmas if today <= christmas else date(today.year + 1, 12, 23)
        if "before-season" in conditions and need.wanted_start:
            return need.wanted_start
        return None

    def _scores(self, context: dict) -> np.ndarray:
        weights = self.weights
        count = len(self.offerings)
        known = [token for token in context["tokens"] if token in self._vocabulary_ids]
        text = self._retriever.get_scores(known) if known else np.zeros(count)
        best = float(text.max()) if count else 0.0
        value = weights.text * (text / best if best > 0 else text)
        need_concepts = context["concepts"]
        need_weight = sum(self._concept_idf.get(name, 1.0) for name in need_concepts) or 1.0
        topics = np.zeros(count)
        for name in need_concepts:
            indices = self._concept_postings.get(name)
            if indices is not None:
                topics[indices] += self._concept_idf[name]
        value += weights.topics * topics / need_weight
        top_fields = context["top_fields"]
        if top_fields:
            same = np.zeros(count, dtype=bool)
            for name in top_fields:
                if name in self._field_masks:
                    same |= self._field_masks[name]
            value += np.where(same, weights.field, np.where(self._has_field, -weights.field_mismatch, 0.0))
        return value + self._form(context)

    def _form(self, context: dict) -> np.ndarray:
        """Level, delivery, place and time: small moves, except a broken condition."""
        weights = self.weights
        need: NeedDoc = context["need"]
        conditions = context["conditions"]
        count = len(self.offerings)
        value = np.zeros(count)
        wished = context["levels"] or context["stated_levels"]
        if wished:
            fit = np.max([self._level_fit(level) for level in wished], axis=0)
            value += weights.level * fit
        if context["levels"] and context["stated_levels"]:
            stated = np.max([self._level_fit(level) for level in context["stated_levels"]], axis=0)
            value += weights.level / 2 * np.maximum(stated, 0)
        wants = set(need.delivery)
        if "in-workplace" in conditions:
            wants.add("i_bedrift")
        if "from-home" in conditions:
            wants.add("nett")
        if wants:
            wanted = np.zeros(count, dtype=bool)
            for mode in wants & self._delivery.keys():
                wanted |= self._delivery[mode]
            value += weights.delivery * wanted
        reach = self._reach(need.municipality)
        if "no-travel" in conditions or "in-workplace" in conditions:
            broken = self._attendance & ~self._remote & (reach < int(Reach.REGION))
            value -= weights.travel_broken * broken
            value += weights.place * np.where(~broken & self._attendance & (reach >= 0), reach / Reach.SAME, 0.0)
        else:
            value += weights.place * np.where(self._attendance & (reach >= 0), reach / Reach.SAME, 0.0)
        if need.combined_work_education or "combine-with-job" in conditions:
            value += weights.combined * (self._remote | self._only_gatherings | self._trade_certificate)
        deadline = context["deadline"] or need.wanted_start
        if deadline:
            limit = (deadline + timedelta(days=30)).toordinal()
            in_time = self._continuous | ((self._start > 0) & (self._start <= limit))
            value += weights.start * in_time
            if context["deadline"]:
                value -= weights.deadline_broken * (~in_time & (self._start > 0))
        return value

    def _level_fit(self, wished: str) -> np.ndarray:
        return self._level_fits.get(wished, self._no_level_fit)

    def _reasons(self, context: dict, index: int) -> list[Reason]:
        offering = self.offerings[index]
        analysed = self._analysed[index]
        need: NeedDoc = context["need"]
        reasons = []
        shared = sorted(
            context["concepts"].keys() & analysed.concepts.keys(),
            key=lambda name: -self._concept_idf.get(name, 1.0),
        )
        if shared:
            reasons.append(Reason("topics", tuple(self.vocabulary.label(name) for name in shared[:4])))
        title_words = [word for word in analysed.heading if word in context["words"]]
        if title_words:
            reasons.append(Reason("words", tuple(dict.fromkeys(title_words))[:5]))
        if context["top_fields"] & analysed.top_fields:
            reasons.append(Reason("field"))
        wished = context["levels"] or context["stated_levels"]
        if offering.level and wished:
            fit = max(_level_fit(level, offering.level) for level in wished)
            code = "level_fits" if fit >= 1 else "level_near" if fit > 0 else "level_off"
            reasons.append(Reason(code, level=offering.level))
        conditions = context["conditions"]
        remote = tuple(sorted(offering.delivery & NO_TRAVEL))
        reach_value = int(self._reach(need.municipality)[index])
        reach = None if reach_value < 0 else Reach(reach_value)
        places = tuple(self.places.name(place) for place in offering.gathering_locations)
        if "no-travel" in conditions or "in-workplace" in conditions:
            if remote:
                reasons.append(Reason("no_travel_ok", remote))
            elif offering.gathering_locations and (reach is None or reach < Reach.REGION):
                reasons.append(Reason("travel_needed", places))
        wanted = tuple(sorted(set(need.delivery) & offering.delivery))
        if wanted:
            reasons.append(Reason("delivery", wanted))
        if reach is not None and reach >= Reach.COUNTY and offering.delivery & ATTENDANCE:
            code = {Reach.SAME: "place_same", Reach.REGION: "place_region", Reach.COUNTY: "place_county"}[reach]
            reasons.append(Reason(code, places))
        if offering.continuous_admission:
            reasons.append(Reason("continuous"))
        deadline = context["deadline"] or need.wanted_start
        if deadline and offering.start and not offering.continuous_admission:
            in_time = offering.start <= deadline + timedelta(days=30)
            reasons.append(Reason("starts_in_time" if in_time else "starts_late", when=offering.start))
        return reasons


def _level_fit(wished: str, offered: str | None) -> float:
    if not offered:
        return 0.0
    if wished == offered:
        return 1.0
    if wished not in LEVEL_RANK or offered not in LEVEL_RANK:
        return 0.0
    distance = abs(LEVEL_RANK[wished] - LEVEL_RANK[offered])
    return {0: 0.6, 1: 0.2}.get(distance, -0.4)


def _reach_value(reach: Reach | None) -> int:
    return -1 if reach is None else int(reach)


def _mask(count: int, indices: list[int]) -> np.ndarray:
    mask = np.zeros(count, dtype=bool)
    mask[indices] = True
    return mask


def _top_fields(fields: Counter) -> set[str]:
    """The field(s) that carry most of the weight: the best, and any within half of it."""
    fields = Counter({name: weight for name, weight in fields.items() if name != "-"})
    if not fields:
        return set()
    best = max(fields.values())
    return {name for name, weight in fields.items() if weight >= best / 2}


def default_constraints() -> Vocabulary:
    from importlib import resources

    text = resources.files("kompetansebro.matching").joinpath("data/constraints.txt").read_text(encoding="utf-8")
    return Vocabulary.parse(text)
