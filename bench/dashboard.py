"""Benchmark the municipality dashboard against the bare SQL of the same aggregates, in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/samplan_bench .venv/bin/python bench/dashboard.py --requests 20

Signs in an analyst of the demo municipality in-process (a verified session, as the tests do), then:
1. renders /uppfoljning/kommun/<id>/ `--requests` times through the whole Django stack (middleware, policy,
   audit row, KPIs, suppression, template) and takes p50/p95 of the wall time per request;
2. captures the SQL statements one render sends and replays exactly those statements with a raw cursor the
   same number of times: the floor any implementation of the same aggregates must pay on this database;
3. prints both, their ratio (goal ≤ 1.5×) and the number of children, and whether p95 ≤ 1 s.
No gunicorn and no network: it measures server time only. Run it on a database built by
`manage.py demo_data --children N` (PostgreSQL; the figures in docs/evaluation.md say which N).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samplan.settings")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--requests", type=int, default=20, help="Measured renders (and SQL replays).")
    parser.add_argument("--warmup", type=int, default=2)
    args = parser.parse_args()

    import django

    django.setup()
    from datetime import date

    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from core.testing import sign_in
    from organisations.models import Membership, Municipality, Role, Unit
    from people.models import Child

    municipality = Municipality.objects.order_by("pk").first()
    if municipality is None:
        sys.exit("No municipality: run manage.py demo_data first.")
    unit = Unit.objects.filter(authority__municipality=municipality).order_by("pk").first()
    user, _created = get_user_model().objects.get_or_create(username="bench.analytiker")
    Membership.objects.get_or_create(user=user, unit=unit, role=Role.ANALYST, defaults={"valid_from": date(2020, 1, 1)})
    client = Client(SERVER_NAME="localhost")
    sign_in(client, user)
    url = reverse("evaluation:municipality", args=[municipality.pk])
    children = Child.objects.filter(municipality=municipality).count()

    for _ in range(args.warmup):
        assert client.get(url).status_code == 200
    page: list[float] = []
    for _ in range(args.requests):
        started = time.perf_counter()
        response = client.get(url)
        page.append(time.perf_counter() - started)
        assert response.status_code == 200

    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    # Only the statements that compute figures: the session, user, membership and audit statements are the
    # framework's and the policy's, which the page pays and a bare SQL script would not.
    statements = [q["sql"] for q in captured.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")]
    sql: list[float] = []
    for _ in range(args.requests):
        started = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
                cursor.fetchall()
        sql.append(time.perf_counter() - started)

    p50, p95 = statistics.median(page), percentile(page, 0.95)
    s50, s95 = statistics.median(sql), percentile(sql, 0.95)
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}; children: {children}")
    print(f"dashboard /uppfoljning/kommun/{municipality.pk}/: p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms")
    print(f"same SELECTs replayed ({len(statements)} statements): p50 {s50 * 1000:.0f} ms, p95 {s95 * 1000:.0f} ms")
    print(f"ratio p50 {p50 / s50:.2f}x, p95 {p95 / s95:.2f}x (goal <= 1.5x); p95 <= 1 s: {p95 <= 1.0}")


if __name__ == "__main__":
    main()
