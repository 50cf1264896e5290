import time

from django.core.management.base import BaseCommand, CommandError

from kompetansebro.demo.national import (
    DEFAULT_ORGANISATIONS,
    DEFAULT_PEOPLE,
    DEFAULT_SEED,
    national_exists,
    national_generate,
    national_reset,
)
from kompetansebro.demo.trondelag_sor import load_trondelag_sor, logins_table

SCALES = ["trondelag-sor", "national"]


class Command(BaseCommand):
    help = (
        "Load demo data. --scale trondelag-sor (default): a believable Trøndelag Sør (the regional council, "
        "its six municipalities, business gardens with member companies, providers, county bodies) and "
        "fictional people with demo logins; loads the reference data first if missing. Safe to run again: "
        "only what is missing is created, and it is recorded in the history. "
        "--scale national: the Trøndelag Sør demo plus a large generated data set for benchmarks (all "
        "municipalities, about 15 000 organisations and 30 000 people by default), written with bulk inserts "
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
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="national: random seed")
        parser.add_argument(
            "--reset", action="store_true", help="national: delete the generated data first, then generate it again"
        )

    def handle(self, *args, scale, organisations, people, seed, reset, **options):
        if reset and scale != "national":
            raise CommandError("--reset is only for --scale national.")
        if organisations < 0 or people < 0:
            raise CommandError("--organisations and --people must not be negative.")
        started = time.monotonic()
        result = load_trondelag_sor()
        if result.reference_loaded:
            self.stdout.write("Reference data loaded (Statistisk sentralbyrå, NLOD / CC BY 4.0).")
        self.stdout.write(
            f"Trøndelag Sør demo: {result.organisations_created} organisations, {result.people_created} people, "
            f"{result.memberships_created} memberships and {result.region_roles_created} region roles created"
            + (
                " (everything was already there)."
                if not any(
                    [
                        result.organisations_created,
                        result.people_created,
                        result.memberships_created,
                        result.region_roles_created,
                    ]
                )
                else "."
            )
        )
        if scale == "national":
            self._national(organisations=organisations, people=people, seed=seed, reset=reset)
        self.stdout.write("")
        self.stdout.write("Demo logins (fictional people):")
        self.stdout.write(logins_table(result.logins))
        self.stdout.write(f"\nDone in {time.monotonic() - started:.1f} s.")

    def _national(self, *, organisations, people, seed, reset):
        if reset:
            started = time.monotonic()
            deleted = national_reset()
            self.stdout.write(
                f"Deleted the generated data: {deleted['people']} people, {deleted['organisations']} organisations, "
                f"{deleted['regions']} regions ({time.monotonic() - started:.1f} s)."
            )
        elif national_exists():
            self.stdout.write("The national data set is already generated; use --reset to generate it again.")
            return
        started = time.monotonic()
        result = national_generate(organisations=organisations, people=people, seed=seed)
        self.stdout.write(
            f"National data generated in {time.monotonic() - started:.1f} s: {result.organisations} organisations "
            f"({result.departments} departments, {result.companies} companies, {result.providers} providers), "
            f"{result.regions} regions, {result.people} people, {result.memberships} memberships, "
            f"{result.region_roles} region roles. No history entries were written for them."
        )
