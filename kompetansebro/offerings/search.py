"""Norwegian full-text search that behaves the same on SQLite and PostgreSQL.

The approach (a plain, portable stand-in until the matching engine of a later issue):

* **Indexing** (`search_words`): the text is lower-cased and split into words (``\\w+``, so æ, ø and å
  belong to words); a short list of Norwegian stop words is dropped; every remaining word is stored
  **both as written and as its stem**. The stem is the Snowball Norwegian stemmer (PyStemmer) applied
  until it no longer changes, at most twice: Snowball removes one suffix at a time, so
  "helsefagarbeidere" → "helsefagarbeider" → "helsefagarbeid", the same as "helsefagarbeider" gives.
  The result is one string, " word stem word stem … ", kept in `Offering.search_text`.
* **Matching** (`offering_text_filter`): every word of the query must match (AND). A query word
  matches when its stem occurs *anywhere inside* an indexed word. Because Norwegian writes compounds
  as one word, this finds the parts of compounds without a dictionary: "fagarbeider" finds
  "helsefagarbeider", "nett" finds "nettbasert", "barnehage" finds "barnehagelærer".
  Stems shorter than four letters would match inside far too many words ("kur", "led"), so they must
  *start* an indexed word instead; the query word as written (four letters or more) may still occur
  anywhere, so "lærer" finds "barnehagelærer".
* Substring search is a LIKE '%…%' scan of one column. That is fast enough for tens of thousands of
  offerings and needs no database-specific index; ranking is not attempted.
"""

import re
from functools import lru_cache

import Stemmer
from django.db.models import Q

WORD = re.compile(r"\w+")
MIN_SUBSTRING_LENGTH = 4

STOPWORDS = frozenset(
    [
        "og",
        "i",
        "på",
        "for",
        "til",
        "med",
        "av",
        "en",
        "et",
        "ei",
        "ein",
        "eit",
        "som",
        "er",
        "det",
        "den",
        "de",
        "dei",
        "å",
        "om",
        "fra",
        "frå",
        "ved",
        "eller",
        "har",
        "kan",
        "vi",
        "du",
        "jeg",
        "eg",
        "meg",
        "deg",
        "seg",
        "oss",
        "dere",
        "sin",
        "sitt",
        "sine",
        "der",
        "her",
        "så",
        "at",
        "ikke",
        "ikkje",
        "men",
        "hva",
        "kva",
        "hvor",
        "kvar",
        "hvordan",
        "korleis",
        "når",
        "da",
        "då",
        "også",
        "bare",
        "enn",
        "før",
        "etter",
        "over",
        "under",
        "mot",
        "inn",
        "ut",
        "opp",
        "ned",
        "mellom",
        "uten",
        "the",
        "and",
        "of",
        "in",
        "on",
        "to",
        "a",
        "an",
    ]
)

_stemmer = Stemmer.Stemmer("norwegian")


@lru_cache(maxsize=20_000)
def stem(word: str) -> str:
    """The Snowball Norwegian stem, applied until stable (at most twice)."""
    once = _stemmer.stemWord(word)
    return _stemmer.stemWord(once) if once != word else once


def words(text: str) -> list[str]:
    """Lower-cased words of `text` without stop words, in order, each once."""
    result = []
    for word in WORD.findall((text or "").lower()):
        if word not in STOPWORDS and word not in result and word != "_" * len(word):
            result.append(word)
    return result


def search_words(text: str) -> str:
    """The indexed form of `text`: " word stem word stem … " (see the module docstring)."""
    tokens: list[str] = []
    seen: set[str] = set()
    for word in words(text):
        for token in (word, stem(word)):
            if token not in seen:
                seen.add(token)
                tokens.append(token)
    return f" {' '.join(tokens)} " if tokens else ""


def query_terms(query: str) -> list[tuple[str, str]]:
    """(word, stem) for every word of a search query."""
    return [(word, stem(word)) for word in words(query)]


def offering_text_filter(queryset, query: str, *, field: str = "search_text"):
    """Offerings whose indexed text matches every word of `query` (see the module docstring)."""
    for word, word_stem in query_terms(query):
        if len(word_stem) >= MIN_SUBSTRING_LENGTH:
            condition = Q(**{f"{field}__contains": word_stem})
        else:
            condition = Q(**{f"{field}__contains": f" {word_stem}"})
            if len(word) >= MIN_SUBSTRING_LENGTH:
                condition |= Q(**{f"{field}__contains": word})
        queryset = queryset.filter(condition)
    return queryset
