"""Server time (p50/p95) and query count of the main pages on the national demo data.

Usage (any DATABASE_URL; the database must hold `kompetansebro demo --scale national`):

    DATABASE_URL=sqlite:////tmp/national.sqlite3 .venv/bin/python bench/pages.py --repeat 30

Requests go through Django's test client in this process: the figures are server time (URL routing,
middleware, queries, templates), without network or browser. Results belong in docs/performance.md.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kompetansebro.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from kompetansebro.accounts.models import User  # noqa: E402
from kompetansebro.organisations.models import Organisation  # noqa: E402


def pages() -> list[tuple[str, str]]:
    largest = (
        Organisation.objects.filter(kind="municipality", parent=None).order_by("-municipality__population").first()
    )
    return [
        ("organisation list", "/organisasjoner/"),
        ("organisation search", "/organisasjoner/?q=bygg"),
        ("organisations in a region", "/organisasjoner/?region=trondelag-sor&page=2"),
        ("organisation page (largest municipality)", largest.get_absolute_url()),
        ("organisation history", f"{largest.get_absolute_url()}historikk/"),
        ("municipality list, class 6", "/kommuner/?centrality=6"),
        ("municipality page (Oslo)", "/kommuner/0301/"),
        ("region list", "/regioner/"),
        (
            "region page (county of the largest municipality)",
            "/regioner/" + largest.municipality.regions.filter(kind="county").first().code + "/",
        ),
        ("home", "/"),
    ]


def measure(client: Client, url: str, repeat: int) -> tuple[float, float, int]:
    client.get(url)
    timings = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
    timings.sort()
    p95 = timings[max(0, round(0.95 * len(timings)) - 1)]
    return statistics.median(timings), p95, len(queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--user", default="admin@kompetansebro.no", help="log in as this demo user")
    args = parser.parse_args()
    organisations = Organisation.objects.count()
    people = User.objects.count()
    if organisations < 10_000:
        raise SystemExit(f"only {organisations} organisations: run `kompetansebro demo --scale national` first")
    client = Client()
    client.force_login(User.objects.get(email=args.user), backend="django.contrib.auth.backends.ModelBackend")
    vendor = connection.vendor
    print(f"{vendor}: {organisations} organisations, {people} people, {args.repeat} requests per page\n")
    print("| page | p50 ms | p95 ms | queries |\n|---|---:|---:|---:|")
    for name, url in pages():
        p50, p95, count = measure(client, url, args.repeat)
        print(f"| {name} | {p50:.1f} | {p95:.1f} | {count} |")


if __name__ == "__main__":
    main()
