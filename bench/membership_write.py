"""Time one membership change of the user with the largest caseload: the access relation's worst write.

Usage (from the repository root, on a database `bench/run.py` or `demo_data` has built):

    .venv/bin/python bench/membership_write.py --database-url postgres://postgres@127.0.0.1:5432/samplan_bench
    .venv/bin/python bench/membership_write.py --project /tmp/samplan-old --database-url …   # another checkout

Each repetition opens a transaction, gives one of the user's current memberships a last day a month
ahead and saves it (`Membership.save`, as the staff pages do), which recomputes every row of the user's
precomputed access relation (`sharing.access_relation`), reads the user's row count, and rolls back, so
the data is unchanged afterwards. It prints the time of each save and the median, with the load average.
See docs/benchmark.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

from run import require_loopback

ROOT = Path(__file__).resolve().parent.parent


class Rollback(Exception):
    """Raised to undo one repetition's write."""


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--database-url",
        default="postgres://postgres@127.0.0.1:5432/samplan_bench",
        help="PostgreSQL on a loopback address.",
    )
    parser.add_argument("--username", default="rektor.stor", help="The user whose membership changes.")
    parser.add_argument("--repeat", type=int, default=3, help="Repetitions (each rolled back).")
    parser.add_argument("--project", type=Path, help="Measure the code of this checkout instead of this one.")
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    require_loopback(args.database_url)
    project = (args.project or ROOT).resolve()
    os.environ.update(
        {
            "DATABASE_URL": args.database_url,
            "SAMPLAN_ENV": "development",
            "DEBUG": "0",
            "DJANGO_SETTINGS_MODULE": "samplan.settings",
            "LOG_LEVEL": "ERROR",
        }
    )
    sys.path.insert(0, str(project))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from organisations.models import Membership
    from sharing.models import AccessRelation

    user = get_user_model().objects.get(username=args.username)
    today = timezone.localdate()
    membership = (
        Membership.objects.filter(user=user, valid_to__isnull=True, valid_from__lte=today).order_by("pk").first()
    )
    if membership is None:
        sys.exit(f"{args.username} has no current membership.")
    rows = AccessRelation.objects.filter(user=user).count()
    print(f"{project}: {args.username}, {rows} rows in the access relation; load {os.getloadavg()[0]:.1f}")
    times = []
    for repetition in range(args.repeat):
        try:
            with transaction.atomic():
                membership.valid_to = today + timedelta(days=30)
                started = time.perf_counter()
                membership.save()
                times.append((time.perf_counter() - started) * 1000)
                after = AccessRelation.objects.filter(user=user).count()
                raise Rollback
        except Rollback:
            membership.valid_to = None
        print(f"  save {repetition + 1}: {times[-1]:.0f} ms ({after} rows of the user after the save)")
    print(f"median {statistics.median(times):.0f} ms; load {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
