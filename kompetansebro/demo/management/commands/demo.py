import time

from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from kompetansebro.demo.forums import load_forums
from kompetansebro.demo.grants import load_grants
from kompetansebro.demo.national import (
    DEFAULT_NEEDS,
    DEFAULT_OFFERINGS,
    DEFAULT_ORGANISATIONS,
    DEFAULT_PEOPLE,
    DEFAULT_SEED,
    national_exists,
    national_generate,
    national_reset,
)
from kompetansebro.demo.trondelag_sor import load_trondelag_sor, logins_table
from kompetansebro.matching.services import rematch_all

SCALES = ["trondelag-sor", "national"]


class Command(BaseCommand):
    help = (
        "Load demo data. --scale trondelag-sor (default): a believable Trøndelag Sør (the regional council, "
        "its six municipalities, business gardens with member companies, providers, county bodies) and "
        "fictional people with demo logins; loads the reference data first if missing. Safe to run again: "
        "only what is missing is created, and it is recorded in the history. "
        "--scale national: the Trøndelag Sør demo plus a large generated data set for benchmarks (all "
        "municipalities, about 15 000 organisations and 30 000 people, 50 000 competence needs with their status "
        "history, 20 000 education offerings and mapping rounds in the generated regions by default), written with "
        "bulk inserts "
        "from a fixed random seed and WITHOUT history entries. Running it again when the generated data is "
        "already there skips the generation; --reset deletes the generated data (marked by its description) "
        "first and generates it again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=SCALES, default="trondelag-sor", help="how much data to load")
        parser.add_argument(
            "--organisations",
            type=int,
            default=DEFAULT_ORGANISATIONS,
            help=f"national: target number of organisations in the database (default {DEFAULT_ORGANISATIONS})",
        )
        parser.add_argument(
            "--people",
            type=int,
            default=DEFAULT_PEOPLE,
            help=f"national: target number of people in the database (default {DEFAULT_PEOPLE})",
        )
        parser.add_argument(
            "--needs",
            type=int,
            default=DEFAULT_NEEDS,
            help=f"national: number of competence needs to generate (default {DEFAULT_NEEDS})",
        )
        parser.add_argument(
            "--offerings",
            type=int,
            default=DEFAULT_OFFERINGS,
            help=f"national: number of education offerings to generate (default {DEFAULT_OFFERINGS})",
        )
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="national: random seed")
        parser.add_argument(
            "--reset", action="store_true", help="national: delete the generated data first, then generate it again"
        )

    def handle(self, *args, scale, organisations, people, needs, offerings, seed, reset, **options):
        if reset and scale != "national":
            raise CommandError("--reset is only for --scale national.")
        if min(organisations, people, needs, offerings) < 0:
            raise CommandError("--organisations, --people, --needs and --offerings must not be negative.")
        started = time.monotonic()
        # The demo's people are fictional: what the services would e-mail them (a development request, a notice,
        # an invitation) is discarded.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            result = load_trondelag_sor()
            forums = load_forums()
            grants = load_grants()
        if result.reference_loaded:
            self.stdout.write("Reference data loaded (Statistisk sentralbyrå, NLOD / CC BY 4.0).")
        created = {
            "organisations": result.organisations_created,
            "people": result.people_created,
            "memberships": result.memberships_created,
            "region roles": result.region_roles_created,
            "needs": result.needs_created,
            "offerings": result.offerings_created,
            "mapping rounds": result.rounds_created,
            "development requests": result.requests_created,
            "forums": forums.forums_created,
            "forum meetings": forums.meetings_created,
            "people in the forums": forums.people_created,
            "grant organisations": grants.organisations_created,
            "people in grants": grants.people_created,
            "grant schemes": grants.schemes_created,
            "grant rounds": grants.rounds_created,
            "priority lists": grants.priority_lists_created,
            "allocations": grants.allocations_created,
            "payments": grants.payments_created,
            "projects": grants.projects_created,
        }
        self.stdout.write(
            "Trøndelag Sør demo: "
            + ", ".join(f"{count} {name}" for name, count in created.items())
            + " created"
            + (" (everything was already there)." if not any(created.values()) else ".")
        )
        if scale == "national":
            self._national(
                organisations=organisations, people=people, needs=needs, offerings=offerings, seed=seed, reset=reset
            )
        matching = rematch_all(workers=2 if scale == "national" else 1)
        self.stdout.write(
            f"Matching: suggestions for {matching.needs} open needs computed in {matching.seconds:.1f} s."
        )
        self.stdout.write("")
        self.stdout.write("Demo logins (fictional people):")
        self.stdout.write(logins_table([*result.logins, *forums.logins, *grants.logins]))
        self.stdout.write(f"\nDone in {time.monotonic() - started:.1f} s.")

    def _national(self, *, organisations, people, needs, offerings, seed, reset):
        if reset:
            started = time.monotonic()
            deleted = national_reset()
            self.stdout.write(
                f"Deleted the generated data: {deleted['needs']} needs, {deleted['offerings']} offerings, "
                f"{deleted['rounds']} mapping rounds, {deleted['people']} people, {deleted['organisations']} "
                f"organisations, {deleted['regions']} regions ({time.monotonic() - started:.1f} s)."
            )
        elif national_exists():
            self.stdout.write("The national data set is already generated; use --reset to generate it again.")
            return
        started = time.monotonic()
        result = national_generate(
            organisations=organisations, people=people, needs=needs, offerings=offerings, seed=seed
        )
        self.stdout.write(
            f"National data generated in {time.monotonic() - started:.1f} s: {result.organisations} organisations "
            f"({result.departments} departments, {result.companies} companies, {result.providers} providers), "
            f"{result.regions} regions, {result.people} people, {result.memberships} memberships, "
            f"{result.region_roles} region roles, {result.needs} needs ({result.status_changes} status changes), "
            f"{result.offerings} offerings, {result.rounds} mapping rounds ({result.invitations} invitations, "
            f"{result.round_needs} needs in rounds). No history entries were written for them."
        )
