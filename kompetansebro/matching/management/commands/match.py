import json

from django.core.management.base import BaseCommand, CommandError

from kompetansebro.matching.engine.engine import MatchEngine

from ._files import add_file_arguments, read_files


class Command(BaseCommand):
    help = (
        "Rank offerings for needs from JSON Lines files with the matching engine the web app uses; no database is "
        'touched. Prints one JSON line per need: {"need": id, "matches": [{"offering": id, "score": float, '
        '"reasons": [...]}, ...]}, best first.'
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        add_file_arguments(parser)
        parser.add_argument("--top", type=int, default=10, help="offerings per need (default 10)")
        parser.add_argument("--language", choices=["nb", "en"], default="nb", help="language of the reasons")

    def handle(self, *args, offerings, needs, top, language, **options):
        if top < 1:
            raise CommandError("--top must be at least 1.")
        offering_docs, need_docs = read_files(offerings, needs)
        engine = MatchEngine(offering_docs)
        for need in need_docs:
            matches = [
                {"offering": match.offering, "score": match.score, "reasons": [r.text(language) for r in match.reasons]}
                for match in engine.rank(need, top=top)
            ]
            self.stdout.write(json.dumps({"need": need.id, "matches": matches}, ensure_ascii=False))
