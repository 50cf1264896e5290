"""Norwegian text analysis for matching: words, stop words, stems and compound parts.

Employers and catalogues write the same thing differently: "helsefagarbeidere" / "helsefagarbeiderfaget",
"varmepumpe" / "varme pumper", "kuldeteknikk" / "kulde- og varmepumpemontør". The analyser turns a text into
stems (Snowball Norwegian from PyStemmer, applied until stable) and adds the parts of compounds it can
split against a lexicon of known stems, so that a compound and its parts meet.
"""

import re
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources

import Stemmer

WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*|\d+")
MIN_COMPOUND = 7
MIN_PART = 3
# Joints Norwegian puts between the parts of a compound: "arbeid-s-miljø", "barn-e-hage".
JOINTS = ("", "s", "e")

_stemmer = Stemmer.Stemmer("norwegian")


def _read_words(name: str) -> frozenset[str]:
    text = resources.files("kompetansebro.matching").joinpath(f"data/{name}").read_text(encoding="utf-8")
    return frozenset(word for line in text.splitlines() for word in line.split("#", 1)[0].split() if word)


STOPWORDS = _read_words("stopwords.txt")


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    """The Snowball Norwegian stem, applied until stable (at most three times).

    Snowball leaves the definite plural "-erne" ("lærerne", "arbeiderne"); it becomes "-er" first."""
    if word.endswith("erne") and len(word) > 6:
        word = word[:-2]
    for _ in range(3):
        shorter = _stemmer.stemWord(word)
        if shorter == word:
            break
        word = shorter
    return word


def words(text: str) -> list[str]:
    """Lower-cased words in order; hyphenated words are kept whole and also split ("it-drift")."""
    result = []
    for word in WORD.findall((text or "").lower()):
        if "-" in word:
            parts = [part for part in word.split("-") if part]
            result.append("".join(parts))
            result.extend(parts)
        else:
            result.append(word)
    return result


def content_words(text: str) -> list[str]:
    return [word for word in words(text) if word not in STOPWORDS and len(word) > 1]


class Lexicon:
    """Known stems, against which compounds are split. Built from the catalogue and the vocabulary."""

    def __init__(self, stems: Iterable[str] = ()):
        self.stems: set[str] = {item for item in stems if len(item) >= MIN_PART}
        self._splits: dict[str, tuple[str, ...]] = {}

    def add(self, stems: Iterable[str]) -> None:
        for item in stems:
            if len(item) >= MIN_PART:
                self.stems.add(item)
        self._splits.clear()

    def split(self, word: str) -> tuple[str, ...]:
        """The stems of the parts of `word`, longest known head first; () when it is not a known compound."""
        if word in self._splits:
            return self._splits[word]
        parts = self._split(word, depth=0) if len(word) >= MIN_COMPOUND else ()
        self._splits[word] = parts
        return parts

    def _known(self, part: str) -> str | None:
        if part in self.stems:
            return part
        stemmed = stem(part)
        return stemmed if stemmed in self.stems and len(stemmed) >= MIN_PART else None

    def _split(self, word: str, depth: int) -> tuple[str, ...]:
        best: tuple[str, ...] = ()
        best_key = (0, 0)
        for cut in range(len(word) - MIN_PART, MIN_PART - 1, -1):
            head = word[:cut]
            known_head = self._known(head)
            if not known_head:
                continue
            for joint in JOINTS:
                rest = word[cut + len(joint) :] if word[cut:].startswith(joint) else None
                if rest is None or len(rest) < MIN_PART:
                    continue
                known_rest = self._known(rest)
                if known_rest:
                    candidate = (known_head, known_rest)
                elif depth == 0 and len(rest) >= MIN_COMPOUND:
                    tail = self._split(rest, depth + 1)
                    candidate = (known_head, *tail) if tail else ()
                else:
                    candidate = ()
                if candidate:
                    key = (-len(candidate), min(len(part) for part in candidate))
                    if not best or key > best_key:
                        best, best_key = candidate, key
        return best


def analyse(text: str, lexicon: Lexicon | None = None) -> list[str]:
    """Stems of the content words of `text`, each followed by the stems of its compound parts."""
    tokens = []
    for word in content_words(text):
        stemmed = stem(word)
        tokens.append(stemmed)
        if lexicon is not None:
            tokens.extend(part for part in lexicon.split(stemmed) if part != stemmed)
    return tokens
