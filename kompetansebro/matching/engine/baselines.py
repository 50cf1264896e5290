"""The two baselines the engine is measured against (docs/matching.md), ranked like the engine's output."""

import re

import bm25s
import numpy as np

from .engine import NeedDoc, OfferingDoc

PLAIN_WORD = re.compile(r"\w+")


def _plain(text: str) -> list[str]:
    return PLAIN_WORD.findall(text.lower())


def rank_plain_bm25(offerings: list[OfferingDoc], needs: list[NeedDoc]) -> dict[str, list[tuple[str, float]]]:
    """BM25 (k1=1.2, b=0.75) on lower-cased words of title and description: no stemming, no stop words."""
    retriever = bm25s.BM25(k1=1.2, b=0.75)
    retriever.index([_plain(f"{o.title} {o.description}") or ["∅"] for o in offerings], show_progress=False)
    known = retriever.vocab_dict
    rankings = {}
    for need in needs:
        tokens = [token for token in _plain(f"{need.title} {need.description}") if token in known]
        scores = retriever.get_scores(tokens) if tokens else np.zeros(len(offerings))
        rankings[need.id] = _ordered(offerings, scores)
    return rankings


def rank_postgres(offerings: list[OfferingDoc], needs: list[NeedDoc], connection) -> dict[str, list[tuple[str, float]]]:
    """PostgreSQL full-text search with the `norwegian` configuration: ts_rank of the offering's title and
    description against the need's words joined with OR (an AND of a whole description finds nothing)."""
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE match_baseline (id text PRIMARY KEY, document tsvector)")
        try:
            cursor.executemany(
                "INSERT INTO match_baseline VALUES (%s, to_tsvector('norwegian', %s))",
                [(o.id, f"{o.title} {o.description}") for o in offerings],
            )
            position = {o.id: index for index, o in enumerate(offerings)}
            rankings = {}
            for need in needs:
                cursor.execute(
                    "SELECT tsvector_to_array(to_tsvector('norwegian', %s))", [f"{need.title} {need.description}"]
                )
                lexemes = cursor.fetchone()[0]
                scores = np.zeros(len(offerings))
                if lexemes:
                    query = " | ".join("'" + lexeme.replace("'", "''") + "'" for lexeme in lexemes)
                    cursor.execute(
                        "SELECT id, ts_rank(document, %s::tsquery) FROM match_baseline WHERE document @@ %s::tsquery",
                        [query, query],
                    )
                    for offering_id, rank in cursor.fetchall():
                        scores[position[offering_id]] = rank
                rankings[need.id] = _ordered(offerings, scores)
        finally:
            cursor.execute("DROP TABLE match_baseline")
    return rankings


def _ordered(offerings: list[OfferingDoc], scores) -> list[tuple[str, float]]:
    order = sorted(range(len(offerings)), key=lambda index: (-scores[index], offerings[index].id))
    return [(offerings[index].id, float(scores[index])) for index in order]
