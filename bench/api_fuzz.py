"""Schemathesis against the whole API: N generated calls per operation and generation mode (valid and
invalid input), anonymously and with a platform administrator's token; prints the totals (calls, 2xx, 4xx,
5xx) and every 5xx. Exit status 1 when there was a 5xx.

Usage (any DATABASE_URL; it is migrated and the Trøndelag Sør demo is loaded, and the run writes to it):

    DATABASE_URL=sqlite:////tmp/fuzz.sqlite3 .venv/bin/python bench/api_fuzz.py --examples 200
    scripts/with-postgres.sh .venv/bin/python bench/api_fuzz.py --examples 200

Calls go through the WSGI application in this process (tests/api_fuzzing.py). Throttling is off for the
run: it measures the answers, not the rate limit. Results belong in docs/performance.md.
"""

import argparse
import io
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kompetansebro.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")
os.environ["API_THROTTLE_ANONYMOUS"] = "off"
os.environ["API_THROTTLE_TOKEN"] = "off"  # noqa: S105 (a rate, not a secret)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from schemathesis import GenerationMode  # noqa: E402

from kompetansebro.accounts.models import User  # noqa: E402
from kompetansebro.api.services import token_create  # noqa: E402
from kompetansebro.wsgi import application  # noqa: E402
from tests.api_fuzzing import Totals, fuzz, load_schema, operations  # noqa: E402

ADMIN = "admin@kompetansebro.no"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=200, help="generated calls per operation and mode")
    args = parser.parse_args()
    settings.AXES_ENABLED = False
    call_command("migrate", verbosity=0)
    call_command("demo", stdout=io.StringIO())
    admin = User.objects.get(email=ADMIN)
    _token, secret = token_create(actor=admin, user=admin, name="api fuzz")
    schema = load_schema(application)
    grand = Totals()
    started = time.perf_counter()
    print(f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}, {args.examples} examples")
    print(f"{'operation':<52} {'caller':<9} {'calls':>6} {'2xx':>6} {'4xx':>6} {'5xx':>4}")
    for operation in operations(schema):
        for caller, headers in (("anonymous", {}), ("token", {"Authorization": f"Bearer {secret}"})):
            totals = Totals()
            for mode in GenerationMode:
                totals.add(fuzz(operation, headers=headers, examples=args.examples, mode=mode, check_conformance=False))
            counts = totals.by_class()
            print(
                f"{operation.label:<52} {caller:<9} {totals.calls:>6} {counts['2xx']:>6} {counts['4xx']:>6} "
                f"{counts['5xx']:>4}"
            )
            grand.add(totals)
    counts = grand.by_class()
    print(
        f"TOTAL calls={grand.calls} 2xx={counts['2xx']} 3xx={counts['3xx']} 4xx={counts['4xx']} "
        f"5xx={counts['5xx']} in {time.perf_counter() - started:.0f} s"
    )
    for failure in grand.failures:
        print(failure)
    return 1 if counts["5xx"] else 0


if __name__ == "__main__":
    sys.exit(main())
