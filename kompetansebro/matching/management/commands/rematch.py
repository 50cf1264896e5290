import time

from django.core.management.base import BaseCommand, CommandError

from kompetansebro.matching import services
from kompetansebro.needs.models import CompetenceNeed


class Command(BaseCommand):
    help = (
        "Compute the suggested offerings of competence needs. Without options: every matchable need, with the "
        "engine built again (after imports, nightly). --stale: only needs marked stale or never computed "
        "(cron, every few minutes). --need ID: one need."
    )

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--stale", action="store_true", help="only stale needs")
        group.add_argument("--need", type=int, metavar="ID", help="only this need")
        parser.add_argument("--workers", type=int, default=2, help="worker processes for many needs (default 2)")

    def handle(self, *args, stale, need, workers, **options):
        if workers < 1:
            raise CommandError("--workers must be at least 1.")
        if need is not None:
            clock = time.perf_counter()
            found = CompetenceNeed.objects.select_related("field", "municipality").filter(pk=need).first()
            if found is None:
                raise CommandError(f"No competence need with id {need}.")
            state = services.rematch_need(found)
            self.stdout.write(
                f"Need {need}: best score {state.best_score if state.best_score is not None else '–'} "
                f"in {time.perf_counter() - clock:.2f} s"
            )
            return
        result = services.rematch_stale(workers=workers) if stale else services.rematch_all(workers=workers)
        self.stdout.write(
            f"{result.needs} needs rematched, {result.suggestions} suggestions stored, "
            f"{result.cleared} needs no longer matchable cleared; engine ready after {result.engine_seconds:.1f} s, "
            f"done in {result.seconds:.1f} s"
        )
