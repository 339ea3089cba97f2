"""Benchmark the municipality dashboard against the bare SQL of the same aggregates, in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/samplan_bench .venv/bin/python bench/dashboard.py --requests 20

Signs in an analyst of the demo municipality in-process (a verified session, as the tests do), then:
1. renders /uppfoljning/kommun/<id>/ `--requests` times through the whole Django stack (middleware, policy,
   audit row, KPIs, suppression, template) and takes p50/p95 of the wall time per request;
2. captures the SQL statements one render sends and replays exactly those statements with a raw cursor the
   same number of times (what the ORM's SQL costs without Python);
3. runs `HAND_SQL` below the same number of times: one statement per KPI written by hand, as an analyst would
   write it, for the same aggregates over the same children and period (checked against the page's figures);
4. prints all three, the page's ratio against each (goal ≤ 1.5× the hand-written SQL) and whether p95 ≤ 1 s.
With `--explain` it instead runs EXPLAIN (ANALYZE, BUFFERS) on each KPI statement of the page's default scope and
period, with the planner settings the page uses (`evaluation.sql.planned`), and prints the planned cost, the
shared buffers and the execution time of each: the costs and buffers do not depend on the machine's load.
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


CHILDREN = """c AS (
  SELECT id FROM people_child
  WHERE municipality_id = %(m)s AND NOT is_expected AND birth_date <= %(end)s AND birth_date > %(born_after)s)"""
LOCAL = "AT TIME ZONE 'Europe/Stockholm'"
_HAND_SQL = {
    "coverage": """WITH {CHILDREN}
SELECT (SELECT count(*) FROM c) AS children,
       count(DISTINCT a.child_id) AS covered,
       count(DISTINCT a.child_id) FILTER (WHERE a.stage = 'pre_birth') AS pre_birth,
       count(DISTINCT a.child_id) FILTER (WHERE a.stage = 'child_health') AS child_health,
       count(DISTINCT a.child_id) FILTER (WHERE a.stage = 'school') AS school
FROM namedperson_assignment a JOIN c ON c.id = a.child_id
WHERE a.start <= %(end)s AND (a."end" IS NULL OR a."end" >= %(end)s)""",
    "time_to_support": """WITH {CHILDREN},
first AS (
  SELECT e.child_id, min(e.start_date) AS concern
  FROM wellbeing_chronologyentry e JOIN c ON c.id = e.child_id
  WHERE e.kind = 'concern' GROUP BY e.child_id
  HAVING min(e.start_date) BETWEEN %(start)s AND %(end)s),
waits AS (
  SELECT (SELECT min(a.start) FROM plans_action a JOIN plans_childplan p ON p.id = a.plan_id
          WHERE p.child_id = f.child_id AND a.start >= f.concern) - f.concern AS days
  FROM first f)
SELECT count(*), count(days),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY days), percentile_cont(0.9) WITHIN GROUP (ORDER BY days)
FROM waits""",
    "reviews_on_time": """WITH {CHILDREN}
SELECT count(*), count(*) FILTER (WHERE p.next_review_on >= %(end)s)
FROM plans_childplan p JOIN c ON c.id = p.child_id
WHERE (p.created_at {LOCAL})::date <= %(end)s AND p.next_review_on IS NOT NULL
  AND p.status NOT IN ('draft', 'closed', 'declined')""",
    "consents": """WITH {CHILDREN}
SELECT au.sector, count(DISTINCT s.id),
       count(DISTINCT s.id) FILTER (WHERE s.status IN ('given', 'expired', 'superseded', 'custody_ended', 'withdrawn')),
       count(DISTINCT s.id) FILTER (WHERE s.status = 'declined'),
       count(DISTINCT s.id) FILTER (WHERE s.status = 'withdrawn')
FROM sharing_consent s JOIN c ON c.id = s.child_id
JOIN sharing_consent_recipients r ON r.consent_id = s.id JOIN organisations_authority au ON au.id = r.authority_id
WHERE (s.created_at {LOCAL})::date BETWEEN %(start)s AND %(end)s
GROUP BY au.sector""",
    "reactualisation": """WITH {CHILDREN},
closed AS (
  SELECT p.child_id, (p.closed_at {LOCAL})::date AS closed_on,
         ((p.closed_at + interval '365 days') {LOCAL})::date AS year_after
  FROM plans_childplan p JOIN c ON c.id = p.child_id
  WHERE p.status = 'closed' AND (p.closed_at {LOCAL})::date BETWEEN %(start)s AND %(end)s)
SELECT count(*), count(*) FILTER (WHERE
  EXISTS (SELECT 1 FROM wellbeing_chronologyentry e WHERE e.child_id = closed.child_id AND e.kind = 'concern'
          AND e.start_date > closed.closed_on AND e.start_date <= closed.year_after)
  OR EXISTS (SELECT 1 FROM plans_childplan n WHERE n.child_id = closed.child_id
          AND (n.created_at {LOCAL})::date > closed.closed_on AND (n.created_at {LOCAL})::date <= closed.year_after))
FROM closed""",
    "wellbeing_change": """WITH {CHILDREN},
plans AS (
  SELECT p.id, p.child_id, (p.created_at {LOCAL})::date AS started
  FROM plans_childplan p JOIN c ON c.id = p.child_id
  WHERE (p.created_at {LOCAL})::date <= %(end)s AND p.status NOT IN ('draft', 'declined')
    AND NOT (p.closed_at IS NOT NULL AND (p.closed_at {LOCAL})::date < %(start)s)),
wheels AS (
  SELECT a.id, a.child_id, a.assessed_on, avg(r.score::float) AS mean
  FROM wellbeing_assessment a JOIN wellbeing_rating r ON r.assessment_id = a.id
  WHERE a.kind = 'wheel' AND a.assessed_on <= %(end)s AND a.child_id IN (SELECT child_id FROM plans)
  GROUP BY a.id),
ends AS (
  SELECT pl.id, count(*) AS k,
         (array_agg(w.mean ORDER BY w.assessed_on, w.id))[1] AS first,
         (array_agg(w.mean ORDER BY w.assessed_on DESC, w.id DESC))[1] AS latest
  FROM plans pl JOIN wheels w ON w.child_id = pl.child_id AND w.assessed_on >= pl.started GROUP BY pl.id)
SELECT count(*), avg(latest - first), count(*) FILTER (WHERE latest > first), count(*) FILTER (WHERE latest < first)
FROM ends WHERE k >= 2""",
    "sdq_change": """WITH {CHILDREN},
forms AS (
  SELECT r.child_id, r.id, r.completed_on, b.min_score
  FROM wellbeing_instrumentresponse r JOIN c ON c.id = r.child_id
  JOIN wellbeing_instrument i ON i.id = r.instrument_id AND i.code = 'sdq'
  JOIN wellbeing_band b ON b.id = r.total_band_id
  WHERE r.completed_on <= %(end)s),
per_child AS (
  SELECT child_id, count(*) AS k, max(completed_on) AS latest_on,
         (array_agg(min_score ORDER BY completed_on, id))[1] AS first,
         (array_agg(min_score ORDER BY completed_on DESC, id DESC))[1] AS latest
  FROM forms GROUP BY child_id)
SELECT count(*), count(*) FILTER (WHERE latest < first), count(*) FILTER (WHERE latest > first)
FROM per_child WHERE k >= 2 AND latest_on >= %(start)s""",
    "referral_wait": """WITH {CHILDREN},
waits AS (
  SELECT r.started_on - r.requested_on AS days
  FROM catalogue_referral r JOIN c ON c.id = r.child_id
  WHERE r.requested_on BETWEEN %(start)s AND %(end)s)
SELECT count(*), count(days),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY days), percentile_cont(0.9) WITHIN GROUP (ORDER BY days)
FROM waits""",
    "handover_wait": """WITH {CHILDREN},
waits AS (
  SELECT CASE WHEN h.status = 'accepted' THEN (h.decided_at {LOCAL})::date - (h.created_at {LOCAL})::date END AS days
  FROM namedperson_handoverproposal h JOIN c ON c.id = h.child_id
  WHERE (h.created_at {LOCAL})::date BETWEEN %(start)s AND %(end)s)
SELECT count(*), count(days),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY days), percentile_cont(0.9) WITHIN GROUP (ORDER BY days)
FROM waits""",
}
# The shared pieces are constants of this file, not input: a plain substitution keeps each statement readable.
HAND_SQL = {key: sql.replace("{CHILDREN}", CHILDREN).replace("{LOCAL}", LOCAL) for key, sql in _HAND_SQL.items()}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def explain(municipality_id: int) -> None:
    """Print each KPI statement's planned cost, shared buffers (hit + read) and time, run as the page runs it."""
    from django.db import connection, transaction

    from evaluation import sql
    from evaluation.scope import Period, Scope
    from sharing import policy

    scope, period = Scope(municipality_id=municipality_id), Period.last_year(policy.today())
    shape = (False,) * 6  # no filters: the page as it first opens
    for key in sql.BODIES:
        with transaction.atomic(), connection.cursor() as cursor, sql.planned(cursor, key):
            text = "EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql.statement(key, shape)
            cursor.execute(text, sql.params(scope, period))
            (result,) = cursor.fetchone()
        plan = result[0]
        top = plan["Plan"]
        buffers = top.get("Shared Hit Blocks", 0) + top.get("Shared Read Blocks", 0)
        print(
            f"{key:18} cost {top['Total Cost']:>10.0f}  buffers {buffers:>7}  "
            f"{plan['Execution Time']:>8.1f} ms  (planning {plan['Planning Time']:.1f} ms)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--requests", type=int, default=20, help="Measured renders (and SQL replays).")
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--explain", action="store_true", help="Only EXPLAIN (ANALYZE, BUFFERS) each KPI statement.")
    args = parser.parse_args()

    import django

    django.setup()
    if args.explain:
        from organisations.models import Municipality

        explain(Municipality.objects.order_by("pk").values_list("pk", flat=True).first())
        return
    measure(args)


def measure(args: argparse.Namespace) -> None:
    """Time the page, the replayed SELECTs and the hand-written SQL, and print them with the ratios."""
    from datetime import date

    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings
    from django.urls import reverse

    from organisations.models import Membership, Municipality, Role, Unit
    from people.models import Child
    from testsupport.cast import sign_in

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

    # The same page with SAMPLAN_EVALUATION_CACHE_SECONDS: the KPI results come from the cache after the first render.
    cached: list[float] = []
    with override_settings(SAMPLAN_EVALUATION_CACHE_SECONDS=300):
        client.get(url)
        for _ in range(args.requests):
            started = time.perf_counter()
            response = client.get(url)
            cached.append(time.perf_counter() - started)
            assert response.status_code == 200

    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    # Only the statements that compute figures: the session, user, membership and audit statements are the
    # framework's and the policy's, which the page pays and a bare SQL script would not.
    statements = [
        q["sql"] for q in captured.captured_queries if q["sql"].lstrip().upper().startswith(("SELECT", "WITH"))
    ]
    sql: list[float] = []
    for _ in range(args.requests):
        started = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
                cursor.fetchall()
        sql.append(time.perf_counter() - started)

    from evaluation.kpis import KPIS
    from evaluation.scope import Period, Scope, years_before
    from sharing import policy

    period = Period.last_year(policy.today())
    born_after = years_before(period.end, 18)
    params = {"m": municipality.pk, "start": period.start, "end": period.end, "born_after": born_after}
    hand: list[float] = []
    for _ in range(args.requests):
        started = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            answers = {}
            for key, statement in HAND_SQL.items():
                cursor.execute(statement, params)
                answers[key] = cursor.fetchall()
        hand.append(time.perf_counter() - started)
    # The same aggregates: the hand-written counts must equal the counts behind the page's figures.
    scope = Scope(municipality_id=municipality.pk)
    coverage, reviews, again = (
        KPIS[key](scope, period).figures[0] for key in ("coverage", "reviews_on_time", "reactualisation")
    )
    assert answers["coverage"][0][:2] == (coverage.n, coverage.count), answers["coverage"]
    assert answers["reviews_on_time"][0] == (reviews.n, reviews.count), answers["reviews_on_time"]
    assert answers["reactualisation"][0] == (again.n, again.count), answers["reactualisation"]
    assert answers["time_to_support"][0][:2] == (
        KPIS["time_to_support"](scope, period).figures[2].n,
        KPIS["time_to_support"](scope, period).figures[2].count,
    )
    for key in ("referral_wait", "handover_wait"):
        done = KPIS[key](scope, period).figures[2]
        assert answers[key][0][:2] == (done.n, done.count), answers[key]

    p50, p95 = statistics.median(page), percentile(page, 0.95)
    h50, h95 = statistics.median(hand), percentile(hand, 0.95)
    s50, s95 = statistics.median(sql), percentile(sql, 0.95)
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}; children: {children}")
    print(f"dashboard /uppfoljning/kommun/{municipality.pk}/: p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms")
    c50, c95 = statistics.median(cached), percentile(cached, 0.95)
    print(f"page, SAMPLAN_EVALUATION_CACHE_SECONDS=300 (hits): p50 {c50 * 1000:.0f} ms, p95 {c95 * 1000:.0f} ms")
    print(f"same SELECTs replayed ({len(statements)} statements): p50 {s50 * 1000:.0f} ms, p95 {s95 * 1000:.0f} ms")
    print(f"hand-written SQL ({len(HAND_SQL)} statements): p50 {h50 * 1000:.0f} ms, p95 {h95 * 1000:.0f} ms")
    print(f"ratio to replayed SELECTs: p50 {p50 / s50:.2f}x, p95 {p95 / s95:.2f}x")
    print(f"ratio to hand-written SQL: p50 {p50 / h50:.2f}x, p95 {p95 / h95:.2f}x (goal <= 1.5x)")
    print(f"p95 <= 1 s: {p95 <= 1.0}")


if __name__ == "__main__":
    main()
