"""The domain vocabulary: concepts that join an employer's words to a catalogue's (data/vocabulary.txt)."""

from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from importlib import resources

from .text import WORD, Lexicon, stem


@dataclass(frozen=True)
class Concept:
    name: str
    field: str
    terms: tuple[str, ...]


@dataclass(frozen=True)
class _Element:
    value: str
    prefix: bool

    def matches(self, position: "Position") -> bool:
        if self.prefix:
            return any(word.startswith(self.value) for word in position.words)
        return self.value in position.stems


@dataclass(frozen=True)
class _Term:
    concept: Concept
    elements: tuple[_Element, ...]


@dataclass
class Position:
    """One word of a text: as written (with its hyphen parts) and its stems (with compound parts)."""

    words: tuple[str, ...]
    stems: frozenset[str]


def _element(word: str) -> _Element:
    if word.endswith("*"):
        return _Element(word[:-1].replace("-", ""), prefix=True)
    return _Element(stem(word.replace("-", "")), prefix=False)


def positions(text: str, lexicon: Lexicon | None = None) -> list[Position]:
    result = []
    for word in WORD.findall((text or "").lower()):
        parts = [part for part in word.split("-") if part]
        joined = "".join(parts)
        stems = {stem(joined), *(stem(part) for part in parts)}
        if lexicon is not None:
            for item in list(stems):
                stems.update(lexicon.split(item))
        result.append(Position(words=(joined, *parts), stems=frozenset(stems)))
    return result


class Vocabulary:
    def __init__(self, concepts: list[Concept]):
        self.concepts = {concept.name: concept for concept in concepts}
        self._by_stem: dict[str, list[_Term]] = defaultdict(list)
        self._by_prefix: dict[str, list[_Term]] = defaultdict(list)
        for concept in concepts:
            for raw in concept.terms:
                elements = tuple(_element(word) for word in raw.split())
                if not elements or not elements[0].value:
                    continue
                term = _Term(concept, elements)
                first = elements[0]
                if first.prefix:
                    self._by_prefix[first.value[:3]].append(term)
                else:
                    self._by_stem[first.value].append(term)

    @classmethod
    def parse(cls, text: str) -> "Vocabulary":
        concepts = []
        for number, line in enumerate(text.splitlines(), start=1):
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            try:
                name, field, terms = (part.strip() for part in line.split("|"))
            except ValueError as error:
                raise ValueError(f"vocabulary line {number}: expected 'concept | field | terms'") from error
            concepts.append(
                Concept(name, field, tuple(term.strip().lower() for term in terms.split(",") if term.strip()))
            )
        return cls(concepts)

    def label(self, name: str) -> str:
        """The concept's first term, the name a reader knows it by."""
        return self.concepts[name].terms[0].rstrip("*")

    def stems(self) -> set[str]:
        """Every whole-word stem in the vocabulary, for the compound lexicon."""
        return {
            element.value
            for terms in self._by_stem.values()
            for term in terms
            for element in term.elements
            if not element.prefix
        }

    def concepts_in(self, text_positions: list[Position]) -> dict[str, int]:
        """How many times each concept occurs in the text (at most once per word)."""
        found: dict[str, int] = defaultdict(int)
        length = len(text_positions)
        for index, position in enumerate(text_positions):
            seen = set()
            candidates = [term for item in position.stems for term in self._by_stem.get(item, ())]
            for word in position.words:
                candidates.extend(self._by_prefix.get(word[:3], ()))
            for term in candidates:
                name = term.concept.name
                if name in seen:
                    continue
                elements = term.elements
                if len(elements) == 1:
                    matched = elements[0].matches(position)
                else:
                    matched = index + len(elements) <= length and all(
                        element.matches(text_positions[index + offset]) for offset, element in enumerate(elements)
                    )
                if matched:
                    found[name] += 1
                    seen.add(name)
        return dict(found)


@cache
def default_vocabulary() -> Vocabulary:
    text = resources.files("kompetansebro.matching").joinpath("data/vocabulary.txt").read_text(encoding="utf-8")
    return Vocabulary.parse(text)
