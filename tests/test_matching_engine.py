"""The matching engine without a database: analysis, vocabulary, reach, ranking, metrics, commands."""

import json
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from kompetansebro.matching.engine.datasets import DatasetError, read_needs
from kompetansebro.matching.engine.engine import MatchEngine, NeedDoc, OfferingDoc
from kompetansebro.matching.engine.evaluation import evaluate
from kompetansebro.matching.engine.places import Reach, default_places
from kompetansebro.matching.engine.text import Lexicon, analyse, stem
from kompetansebro.matching.engine.vocabulary import Vocabulary, positions

DEV_SET = Path(__file__).resolve().parents[2] / "shared" / "data" / "matching"


def test_stems_meet_across_inflection_and_definite_plural():
    assert stem("helsefagarbeiderne") == stem("helsefagarbeider") == stem("helsefagarbeidere")
    assert stem("lærerne") == stem("lærer")


def test_compounds_are_split_against_the_lexicon():
    lexicon = Lexicon(["varm", "pump", "helse", "fagarbeid", "legemiddel", "håndtering"])
    assert analyse("varmepumper", lexicon) == ["varmepump", "varm", "pump"]
    assert "fagarbeid" in analyse("helsefagarbeidere", lexicon)
    assert analyse("legemiddelhåndteringen", lexicon)[1:] == ["legemiddel", "håndtering"]
    assert analyse("varmepumper") == ["varmepump"], "no lexicon, no splitting"


def test_stop_words_and_hyphenated_words():
    assert analyse("Vi ønsker at de skal lære it-drift") == ["lær", "itdrift", "it", "drift"]


def test_vocabulary_phrases_prefixes_and_compound_parts():
    vocabulary = Vocabulary.parse(
        "demens | helse-og-omsorg | demens, glem*, kognitiv svikt\nsol | energi-og-miljo | solcelle*\n"
    )
    lexicon = Lexicon(vocabulary.stems() | {"omsorg"})
    found = vocabulary.concepts_in(positions("Beboere som er glemske og har kognitiv svikt", lexicon))
    assert found == {"demens": 2}
    assert vocabulary.concepts_in(positions("Kurs i demensomsorg", lexicon)) == {"demens": 1}
    assert vocabulary.concepts_in(positions("svikt kognitiv", lexicon)) == {}, "phrases keep their order"
    assert vocabulary.concepts_in(positions("Solcelleanlegg på taket", lexicon)) == {"sol": 1}


def test_vocabulary_refuses_a_malformed_line():
    with pytest.raises(ValueError, match="line 2"):
        Vocabulary.parse("a | b | c\nno separators here\n")


def test_reach_by_municipality_region_and_county():
    places = default_places()
    assert places.reach("Holtålen", "5026") == Reach.SAME
    assert places.reach("Holtålen", "Røros") == Reach.REGION
    assert places.reach("Holtålen", "Trondheim") == Reach.COUNTY
    assert places.reach("Holtålen", "Bodø") == Reach.FAR
    assert places.reach("Hattfjelldal", "Aarborte - Hattfjelldal") == Reach.SAME
    assert places.reach("Atlantis", "Røros") is None


def offering(id, title, **fields):
    defaults = {"description": "", "level": "kurs", "delivery": frozenset({"nett"})}
    return OfferingDoc(id=id, title=title, **{**defaults, **fields})


CATALOGUE = [
    offering(
        "a", "Demensomsorgens ABC", description="Refleksjonsgrupper om demens.", delivery=frozenset({"i_bedrift"})
    ),
    offering(
        "b",
        "Demens og alderspsykiatri",
        description="Fagskole om demens.",
        level="fagskole",
        delivery=frozenset({"campus"}),
        gathering_locations=("Trondheim",),
    ),
    offering("c", "Sveising for nybegynnere", description="Sveising, sikkerhet og materialkunnskap."),
    offering("d", "Truckførerkurs", description="Opplæring i truck.", start=date(2027, 3, 1)),
    offering("e", "Truck – kveldskurs", description="Truckfører, kveldskurs.", start=date(2026, 12, 7)),
]


def test_employer_words_find_the_programme_and_unrelated_offerings_stay_below():
    engine = MatchEngine(CATALOGUE)
    need = NeedDoc(id="n", description="Flere beboere er glemske og forvirret; personalet trenger mer kunnskap.")
    ranked = engine.rank(need, top=None)
    assert {ranked[0].offering, ranked[1].offering} == {"a", "b"}
    assert ranked[0].score > ranked[2].score
    assert any(reason.code == "topics" for reason in ranked[0].reasons)


def test_cannot_travel_puts_campus_far_away_below_the_workplace_offer():
    engine = MatchEngine(CATALOGUE)
    need = NeedDoc(
        id="n",
        description="Demens: ansatte i hjemmetjenesten kan ikke reise, vi vil ha opplæring i arbeidstiden.",
        level="fagskole",
        municipality="Holtålen",
    )
    ranked = engine.rank(need, top=2)
    assert [match.offering for match in ranked] == ["a", "b"]
    reasons = {reason.code: reason for reason in ranked[1].reasons}
    assert reasons["travel_needed"].text() == "Krever oppmøte i Trondheim"
    assert reasons["travel_needed"].text("en") == "Attendance needed in Trondheim"


def test_a_stated_deadline_prefers_the_offering_that_starts_in_time():
    engine = MatchEngine(CATALOGUE)
    need = NeedDoc(id="n", description="Lagerarbeidere må ta truckførerkurs før jul.", wanted_start=date(2026, 11, 23))
    ranked = engine.rank(need, top=2)
    assert [match.offering for match in ranked] == ["e", "d"]
    assert any(reason.code == "starts_in_time" for reason in ranked[0].reasons)


def test_incremental_changes_to_the_catalogue():
    engine = MatchEngine(CATALOGUE[:3])
    need = NeedDoc(id="n", description="Vi trenger truckførere.")
    assert engine.rank(need, top=1)[0].offering != "d"
    engine.upsert_offering(CATALOGUE[3])
    assert engine.rank(need, top=1)[0].offering == "d"
    engine.upsert_offering(offering("d", "Sveising for viderekomne"))
    assert engine.rank(need, top=1)[0].offering != "d"
    engine.remove_offering("d")
    assert "d" not in [match.offering for match in engine.rank(need, top=None)]
    assert engine.score(need, "c").offering == "c"
    assert engine.score(need, "gone") is None


def test_ranking_all_breaks_ties_by_id_and_excludes_rejected():
    engine = MatchEngine(CATALOGUE)
    need = NeedDoc(id="n", description="Noe helt annet: astrofysikk.")
    ids = [match.offering for match in engine.rank(need, top=None)]
    assert len(ids) == len(CATALOGUE)
    assert "a" not in [match.offering for match in engine.rank(need, top=None, exclude=frozenset({"a"}))]
    assert MatchEngine([]).rank(need) == []


def test_metrics_by_hand():
    qrels = {"n1": {"x": 2, "y": 1}, "n2": {"z": 2}}
    rankings = {"n1": ["y", "x", "q"], "n2": ["q", "r", "z"]}
    figures = evaluate(rankings, qrels)
    ideal = 2 + 1 / 1.5849625007211563
    found = 1 + 2 / 1.5849625007211563
    assert figures.ndcg_at_10 == pytest.approx((found / ideal + 0.5) / 2), "n2: grade 2 at rank 3 of an ideal rank 1"
    assert figures.recall_at_10 == 1.0
    assert figures.mrr == pytest.approx((1 / 2 + 1 / 3) / 2)


def test_reading_a_bad_line_names_the_file_and_line(tmp_path):
    path = tmp_path / "needs.jsonl"
    path.write_text('{"id": "n1", "description": "ok"}\n{"id": "n2", "desired_start": "22.11.2026"}\n')
    with pytest.raises(DatasetError, match="needs.jsonl:2"):
        read_needs(path)


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records), encoding="utf-8")
    return path


def test_match_command_prints_one_json_line_per_need(tmp_path):
    offerings = write_jsonl(
        tmp_path / "o.jsonl",
        [
            {"id": "o1", "title": "Sveising", "description": "Grunnkurs i sveising.", "level": "kurs"},
            {"id": "o2", "title": "Truckførerkurs", "description": "Truck T1–T4.", "level": "sertifisering"},
        ],
    )
    needs = write_jsonl(tmp_path / "n.jsonl", [{"id": "n1", "description": "Lageret trenger truckførere."}])
    out = StringIO()
    call_command("match", offerings=offerings, needs=needs, top=1, stdout=out)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert lines == [{"need": "n1", "matches": [lines[0]["matches"][0]]}]
    assert lines[0]["matches"][0]["offering"] == "o2"
    assert isinstance(lines[0]["matches"][0]["score"], float)
    assert all(isinstance(reason, str) for reason in lines[0]["matches"][0]["reasons"])


def test_match_command_refuses_missing_files_and_bad_top(tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        call_command("match", offerings=tmp_path / "none.jsonl", needs=tmp_path / "none.jsonl")
    path = write_jsonl(tmp_path / "o.jsonl", [{"id": "o1", "title": "x"}])
    with pytest.raises(CommandError, match="--top"):
        call_command("match", offerings=path, needs=path, top=0)


@pytest.mark.skipif(not DEV_SET.is_dir(), reason="../shared/data/matching is not beside the project")
def test_the_engine_beats_plain_bm25_on_the_development_set():
    figures = {}
    for method in ("engine", "bm25"):
        out = StringIO()
        call_command(
            "match_eval",
            offerings=DEV_SET / "offerings.jsonl",
            needs=DEV_SET / "needs_dev.jsonl",
            qrels=DEV_SET / "qrels_dev.tsv",
            method=method,
            json=True,
            stdout=out,
        )
        figures[method] = json.loads(out.getvalue())
    assert figures["engine"]["needs"] == 65
    for metric in ("nDCG@10", "Recall@10", "MRR"):
        assert figures["engine"][metric] > figures["bm25"][metric] + 0.2


@pytest.mark.django_db
def test_match_eval_postgres_baseline(tmp_path):
    offerings = write_jsonl(
        tmp_path / "o.jsonl",
        [{"id": "o1", "title": "Sveising", "description": "Sveisekurs"}, {"id": "o2", "title": "Truckførerkurs"}],
    )
    needs = write_jsonl(tmp_path / "n.jsonl", [{"id": "n1", "description": "Vi trenger sveising"}])
    qrels = tmp_path / "q.tsv"
    qrels.write_text("n1\to1\t2\n")
    arguments = {"offerings": offerings, "needs": needs, "qrels": qrels, "method": "postgres", "json": True}
    if connection.vendor != "postgresql":
        with pytest.raises(CommandError, match="PostgreSQL"):
            call_command("match_eval", **arguments)
        return
    out = StringIO()
    call_command("match_eval", stdout=out, **arguments)
    assert json.loads(out.getvalue())["MRR"] == 1.0
