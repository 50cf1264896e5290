"""Server time (p50/p95) and query count of the main pages on the national demo data.

Usage (any DATABASE_URL; the database must hold `kompetansebro demo --scale national`):

    DATABASE_URL=sqlite:////tmp/national.sqlite3 .venv/bin/python bench/pages.py --repeat 30
    DATABASE_URL=... .venv/bin/python bench/pages.py --only catalogue --only needs   # a subset

Pages that need a person (the need list, the region overview) log in as the platform admin or as the
secretariat of the generated region with the most needs; the representative objects (the region with the
most needs, the need with the longest status history, the largest mapping round) are looked up first.

Requests go through Django's test client in this process: the figures are server time (URL routing,
middleware, queries, templates), without network or browser. Results belong in docs/performance.md.
"""

import argparse
import importlib
import os
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kompetansebro.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

# The application as gunicorn serves it (kompetansebro/wsgi.py: views imported and the loaded objects frozen
# out of the garbage collector's sight), not a bare django.setup().
importlib.import_module("kompetansebro.wsgi")

from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from kompetansebro.accounts.models import User  # noqa: E402
from kompetansebro.geography.models import Municipality, Region  # noqa: E402
from kompetansebro.mapping.models import MappingRound  # noqa: E402
from kompetansebro.needs.models import CompetenceNeed  # noqa: E402
from kompetansebro.offerings.models import Offering  # noqa: E402
from kompetansebro.organisations.models import Organisation, RegionRole  # noqa: E402

ADMIN = "admin@kompetansebro.no"


@dataclass
class Page:
    group: str  # for --only
    name: str
    url: str
    user: str | None = None  # e-mail; None: the --user given on the command line


def organisation_pages() -> list[Page]:
    largest = (
        Organisation.objects.filter(kind="municipality", parent=None).order_by("-municipality__population").first()
    )
    county = largest.municipality.regions.filter(kind="county").first()
    return [
        Page("organisations", "organisation list", "/organisasjoner/"),
        Page("organisations", "organisation search", "/organisasjoner/?q=bygg"),
        Page("organisations", "organisations in a region", "/organisasjoner/?region=trondelag-sor&page=2"),
        Page("organisations", "organisation page (largest municipality)", largest.get_absolute_url()),
        Page("organisations", "organisation history", f"{largest.get_absolute_url()}historikk/"),
        Page("geography", "municipality list, class 6", "/kommuner/?centrality=6"),
        Page("geography", "municipality page (Oslo)", "/kommuner/0301/"),
        Page("geography", "region list", "/regioner/"),
        Page("geography", "region page (county of the largest municipality)", f"/regioner/{county.code}/"),
        Page("home", "home", "/"),
    ]


def catalogue_pages() -> list[Page]:
    rural = Municipality.objects.filter(centrality_class=6).order_by("population", "number").first()
    return [
        Page("catalogue", f"catalogue ({Offering.objects.count()} offerings, first page)", "/tilbud/"),
        Page("catalogue", "catalogue search ?q=helsefagarbeider", "/tilbud/?q=helsefagarbeider"),
        Page(
            "catalogue",
            "catalogue search ?q=ledelse + level + delivery facets",
            "/tilbud/?q=ledelse&level=videreutdanning&level=master&delivery=nett",
        ),
        Page("catalogue", f"catalogue near me ({rural.name}, class 6)", f"/tilbud/?municipality={rural.number}"),
        Page(
            "catalogue",
            "catalogue near me + search ?q=demens",
            f"/tilbud/?municipality={rural.number}&q=demens",
        ),
    ]


def need_pages() -> list[Page]:
    # The secretariat person of the generated region with the most needs.
    secretariat = (
        RegionRole.objects.filter(role="secretariat", region__description__startswith="Generert")
        .annotate(needs=Count("region__municipalities__needs"))
        .order_by("-needs", "pk")
        .select_related("user", "region")
        .first()
    )
    busiest = CompetenceNeed.objects.annotate(moves=Count("status_changes")).order_by("-moves", "pk").first()
    filters = "?status=registered&status=qualified&field=helse-og-omsorg"
    pages = [
        Page("needs", f"need list ({CompetenceNeed.objects.count()} needs), platform admin", "/behov/", ADMIN),
        Page("needs", "need list, admin, page 200", "/behov/?page=200", ADMIN),
        Page("needs", "need list, admin, status + field filters", f"/behov/{filters}", ADMIN),
        Page("needs", "need list, admin, search ?q=demens", "/behov/?q=demens", ADMIN),
        Page("needs", f"need page ({busiest.moves} status changes), admin", busiest.get_absolute_url(), ADMIN),
    ]
    if secretariat is not None:
        email, region = secretariat.user.email, secretariat.region
        pages += [
            Page("needs", f"need list, secretariat of {region.name}", "/behov/", email),
            Page(
                "needs", "need list, secretariat, filters + own region", f"/behov/{filters}&region={region.code}", email
            ),
        ]
    return pages


def mapping_pages() -> list[Page]:
    region = Region.objects.annotate(needs=Count("municipalities__needs")).order_by("-needs", "pk").first()
    largest_round = (
        MappingRound.objects.annotate(n=Count("invitations", distinct=True) + Count("round_needs", distinct=True))
        .order_by("-n", "pk")
        .first()
    )
    pages = [
        Page("mapping", f"region overview ({region.name}), admin", f"/kartlegging/oversikt/{region.code}/", ADMIN),
        Page("mapping", "mapping round list, admin", "/kartlegging/", ADMIN),
    ]
    if largest_round is not None:
        invitations = largest_round.invitations.count()
        in_round = largest_round.round_needs.count()
        pages.append(
            Page(
                "mapping",
                f"mapping round page ({invitations} invited, {in_round} needs), admin",
                largest_round.get_absolute_url(),
                ADMIN,
            )
        )
        secretariat = RegionRole.objects.filter(region=largest_round.region, role="secretariat").first()
        if secretariat is not None:
            pages.append(
                Page(
                    "mapping",
                    "region overview, its secretariat",
                    f"/kartlegging/oversikt/{largest_round.region.code}/",
                    secretariat.user.email,
                )
            )
    return pages


GROUPS = {
    "organisations": organisation_pages,
    "geography": organisation_pages,
    "home": organisation_pages,
    "catalogue": catalogue_pages,
    "needs": need_pages,
    "mapping": mapping_pages,
}


def pages(only: list[str]) -> list[Page]:
    result = []
    for builder in dict.fromkeys(GROUPS.values()):
        for page in builder():
            if not only or any(word in page.group or word in page.name for word in only):
                result.append(page)
    return result


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
    parser.add_argument("--user", default=ADMIN, help="log in as this demo user (pages that name no user)")
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="WORD",
        help=f"only pages whose group ({', '.join(GROUPS)}) or name contains WORD; may be repeated",
    )
    parser.add_argument("--queries", action="store_true", help="print the SQL of each page's last request")
    args = parser.parse_args()
    organisations = Organisation.objects.count()
    people = User.objects.count()
    if organisations < 10_000:
        raise SystemExit(f"only {organisations} organisations: run `kompetansebro demo --scale national` first")
    clients: dict[str, Client] = {}

    def client_for(email: str) -> Client:
        if email not in clients:
            clients[email] = Client()
            clients[email].force_login(
                User.objects.get(email=email), backend="django.contrib.auth.backends.ModelBackend"
            )
        return clients[email]

    vendor = connection.vendor
    needs, offerings = CompetenceNeed.objects.count(), Offering.objects.count()
    print(
        f"{vendor}: {organisations} organisations, {people} people, {needs} needs, {offerings} offerings, "
        f"{args.repeat} requests per page\n"
    )
    print("| page | p50 ms | p95 ms | queries |\n|---|---:|---:|---:|")
    for page in pages(args.only):
        client = client_for(page.user or args.user)
        if args.queries:
            with CaptureQueriesContext(connection) as captured:
                client.get(page.url)
            for query in captured.captured_queries:
                print(f"    {query['time']}s {query['sql'][:300]}")
        p50, p95, count = measure(client, page.url, args.repeat)
        print(f"| {page.name} | {p50:.1f} | {p95:.1f} | {count} |", flush=True)


if __name__ == "__main__":
    main()
