import json
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from kompetansebro.matching.engine.baselines import rank_plain_bm25, rank_postgres
from kompetansebro.matching.engine.datasets import DatasetError, read_qrels
from kompetansebro.matching.engine.engine import MatchEngine
from kompetansebro.matching.engine.evaluation import evaluate

from ._files import add_file_arguments, read_files

METHODS = ["engine", "bm25", "postgres"]


class Command(BaseCommand):
    help = (
        "Measure a ranking on a labelled set: nDCG@10 (graded), Recall@10 (grade 1 and 2) and MRR (grade 2), "
        "ranking every offering for every need. --method engine (default) is the matching engine; bm25 is plain "
        "BM25 on title and description without stemming; postgres is PostgreSQL full-text search with the "
        "'norwegian' configuration (needs DATABASE_URL pointing to PostgreSQL)."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        add_file_arguments(parser)
        parser.add_argument("--qrels", required=True, type=Path, help="labels: need<TAB>offering<TAB>grade")
        parser.add_argument("--method", choices=METHODS, default="engine")
        parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")

    def handle(self, *args, offerings, needs, qrels, method, json, **options):
        offering_docs, need_docs = read_files(offerings, needs)
        if not qrels.is_file():
            raise CommandError(f"No such file: {qrels}")
        try:
            labels = read_qrels(qrels)
        except DatasetError as error:
            raise CommandError(str(error)) from error
        unknown = set(labels) - {need.id for need in need_docs}
        if unknown:
            raise CommandError(f"The labels name needs that are not in {needs}: {', '.join(sorted(unknown)[:5])}")
        started = time.perf_counter()
        rankings = self._rank(method, offering_docs, need_docs)
        elapsed = time.perf_counter() - started
        figures = evaluate(rankings, labels)
        if json:
            self.stdout.write(_json({"method": method, **figures.as_dict(), "seconds": round(elapsed, 2)}))
            return
        self.stdout.write(f"method     {method}")
        self.stdout.write(f"needs      {figures.needs} (labelled), offerings {len(offering_docs)}")
        self.stdout.write(f"nDCG@10    {figures.ndcg_at_10:.4f}")
        self.stdout.write(f"Recall@10  {figures.recall_at_10:.4f}")
        self.stdout.write(f"MRR        {figures.mrr:.4f}")
        self.stdout.write(f"time       {elapsed:.2f} s")

    @staticmethod
    def _rank(method, offering_docs, need_docs) -> dict[str, list[str]]:
        if method == "engine":
            engine = MatchEngine(offering_docs)
            return {
                need.id: [match.offering for match in engine.rank(need, top=None, with_reasons=False)]
                for need in need_docs
            }
        if method == "bm25":
            ranked = rank_plain_bm25(offering_docs, need_docs)
        else:
            if connection.vendor != "postgresql":
                raise CommandError("--method postgres needs a PostgreSQL database (set DATABASE_URL).")
            ranked = rank_postgres(offering_docs, need_docs, connection)
        return {need: [offering for offering, _ in ranking] for need, ranking in ranked.items()}


def _json(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False)
