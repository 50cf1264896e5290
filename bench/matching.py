"""Matching in the app on the national demo data: full rebuild, one new need, one changed offering.

Usage (the database must hold `kompetansebro demo --scale national` and is written to: use a copy):

    cp /tmp/national.sqlite3 /tmp/national-matching.sqlite3
    DATABASE_URL=sqlite:////tmp/national-matching.sqlite3 .venv/bin/kompetansebro migrate
    DATABASE_URL=sqlite:////tmp/national-matching.sqlite3 .venv/bin/python bench/matching.py --cold --repeat 50

* **full rebuild**: `rematch_all` (engine built from the database, every matchable need ranked by worker
  processes, suggestions written). `--cold` empties the stored suggestions first (the first rebuild);
  without it, the rebuild after an unchanged catalogue (only changed suggestions are written).
* **one new need**: a need registered through the service, then `rematch_need` end to end (document from
  the database, rejected offerings, ranking, writing ten suggestions and the state), warm engine.
* **offering changed**: an offering's description is changed in the database, then `offering_changed`
  (the hook the offering services call: needs marked stale) and the engine's catch-up at its next use.
  Before each change all needs are made current again, so each counts the needs it marks itself.

The per-need and per-offering measurements run in a transaction that is rolled back.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kompetansebro.settings")

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from kompetansebro.matching import engine_cache, services  # noqa: E402
from kompetansebro.matching.documents import MATCHABLE_NEED_STATUSES  # noqa: E402
from kompetansebro.matching.models import MatchState, MatchSuggestion  # noqa: E402
from kompetansebro.needs.models import CompetenceNeed  # noqa: E402
from kompetansebro.needs.services import need_register  # noqa: E402
from kompetansebro.offerings.models import Offering  # noqa: E402


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def row(name: str, values: list[float], note: str = "") -> str:
    ms = [value * 1000 for value in values]
    return (
        f"| {name} | {len(ms)} | {percentile(ms, 0.5):,.1f} ms | {percentile(ms, 0.95):,.1f} ms | {max(ms):,.1f} ms "
        f"| {note} |"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=50, help="needs and offerings measured (default 50)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--cold", action="store_true", help="empty the stored suggestions before the rebuild")
    parser.add_argument("--skip-rebuild", action="store_true")
    options = parser.parse_args()
    rng = random.Random(4)  # noqa: S311 (varied texts, not secrets)
    lines = []
    matchable = CompetenceNeed.objects.filter(status__in=MATCHABLE_NEED_STATUSES).count()
    print(
        f"{CompetenceNeed.objects.count():,} needs ({matchable:,} matchable), "
        f"{Offering.objects.count():,} offerings; {os.cpu_count()} CPUs",
        file=sys.stderr,
    )

    if not options.skip_rebuild:
        if options.cold:
            MatchSuggestion.objects.all().delete()
            MatchState.objects.all().delete()
        result = services.rematch_all(workers=options.workers)
        lines.append(
            f"| full rebuild ({'cold' if options.cold else 'warm'}, {options.workers} workers) | 1 | "
            f"{result.seconds:,.1f} s | | | engine ready after {result.engine_seconds:.1f} s; "
            f"{result.needs:,} needs, {result.suggestions:,} suggestions written |"
        )
    else:
        clock = time.perf_counter()
        engine_cache.get_engine()
        lines.append(f"| engine built (first use in a process) | 1 | {time.perf_counter() - clock:,.1f} s | | | |")

    templates = list(
        CompetenceNeed.objects.filter(status__in=MATCHABLE_NEED_STATUSES)
        .select_related("organisation", "field", "municipality")
        .order_by("?")[: options.repeat]
    )
    offerings = list(Offering.objects.filter(status="open").order_by("?")[: options.repeat])
    need_times, changed_times, catch_up_times, touched = [], [], [], []
    with transaction.atomic():
        for template in templates:
            need = need_register(
                actor=None,
                organisation=template.organisation,
                data={
                    "title": template.title,
                    "description": template.description + " " + rng.choice(["Snarest.", "Gjerne på nett.", ""]),
                    "field": template.field,
                    "level": template.level,
                    "persons": template.persons,
                    "municipality": template.municipality,
                    "wanted_start": template.wanted_start,
                },
            )
            clock = time.perf_counter()
            services.rematch_need(need)
            need_times.append(time.perf_counter() - clock)
        for offering in offerings:
            MatchState.objects.filter(stale=True).update(stale=False)  # each change measured on its own
            Offering.objects.filter(pk=offering.pk).update(
                description=offering.description + " Oppdatert.", updated_at=timezone.now()
            )
            clock = time.perf_counter()
            touched.append(services.offering_changed(offering.pk, offering.field_id))
            changed_times.append(time.perf_counter() - clock)
            clock = time.perf_counter()
            engine_cache.get_engine()
            catch_up_times.append(time.perf_counter() - clock)
        transaction.set_rollback(True)
    lines.append(row("one new need: rematch_need end to end", need_times, "warm engine, 10 suggestions written"))
    lines.append(
        row(
            "offering changed: offering_changed hook",
            changed_times,
            f"needs marked stale: median {statistics.median(touched):,.0f}",
        )
    )
    lines.append(row("offering changed: engine catch-up at next use", catch_up_times, "one index rebuild"))
    print("| measurement | n | p50 / time | p95 | max | note |")
    print("|---|---|---|---|---|---|")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
