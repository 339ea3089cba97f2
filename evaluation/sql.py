"""The KPIs as raw SQL on PostgreSQL: one parameterised statement per KPI, its text built once per filter shape.

Each statement starts with the same common table expression `c`, the children in scope on the reference day
(the same rule as `Scope.children`), and computes the KPI's counts in the database. The text depends only on
which filters are set (area, excluded area, units, age band, gender), never on their values: the values are
parameters, and the texts are kept after their first use (`functools.cache`). The ORM querysets in
`evaluation.kpis` say the same thing and serve other databases (SQLite in development);
`evaluation/tests/test_sql.py` checks that both give the same counts.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

from django.conf import settings
from django.db import connection, transaction

from evaluation.scope import AGE_BANDS, Period, Scope, years_before
from namedperson.models import Stage

OPEN_ENROLMENT = """SELECT 1 FROM people_enrolment e JOIN organisations_unit u ON u.id = e.unit_id
    WHERE e.child_id = ch.id AND e.start <= %(end)s AND (e."end" IS NULL OR e."end" >= %(end)s)"""


def available() -> bool:
    """Whether the raw statements can run here (they use PostgreSQL's FILTER, percentile_cont and array_agg)."""
    return connection.vendor == "postgresql"


@cache
def children_cte(area: bool, exclude_area: bool, units: bool, exclude_units: bool, age_band: bool, gender: bool) -> str:
    """`c AS (…)`: the children registered in the municipality, born, not expected and under 18 on `end`."""
    where = [
        "ch.municipality_id = %(m)s",
        "NOT ch.is_expected",
        "ch.birth_date <= %(end)s",
        "ch.birth_date > %(born_after)s",
    ]
    if area:
        where.append(f"EXISTS ({OPEN_ENROLMENT} AND u.area = %(area)s)")
    if exclude_area:
        where.append(f"NOT EXISTS ({OPEN_ENROLMENT} AND u.area = %(exclude_area)s)")
    if units:
        where.append(f"EXISTS ({OPEN_ENROLMENT} AND e.unit_id = ANY(%(units)s))")
    if exclude_units:
        where.append(f"NOT EXISTS ({OPEN_ENROLMENT} AND e.unit_id = ANY(%(exclude_units)s))")
    if age_band:
        where.append("ch.birth_date <= %(age_oldest_born)s AND ch.birth_date > %(age_born_after)s")
    if gender:
        # The second-to-last digit of a personnummer is odd for boys; other identity kinds carry no gender.
        where.append("ch.identity_kind = 'personnummer' AND ch.identity_number::text ~ %(gender_digit)s")
    # Only the constant fragments above are joined; every value is a parameter.
    return "c AS NOT MATERIALIZED (\n  SELECT ch.id FROM people_child ch\n  WHERE " + "\n    AND ".join(where) + ")"  # noqa: S608


def params(scope: Scope, period: Period) -> dict:
    """The values of one scope and period, by the names the statements use."""
    values = {
        "m": scope.municipality_id,
        "start": period.start,
        "end": period.end,
        "born_after": years_before(period.end, 18),
        "tz": settings.TIME_ZONE,
        "area": scope.area,
        "exclude_area": scope.exclude_area,
        "units": list(scope.unit_ids),
        "exclude_units": list(scope.exclude_unit_ids),
    }
    if scope.age_band in AGE_BANDS:
        low, high, _label = AGE_BANDS[scope.age_band]
        values["age_oldest_born"] = years_before(period.end, low)
        values["age_born_after"] = years_before(period.end, high + 1)
    if scope.gender in ("K", "M"):
        values["gender_digit"] = r"^.{10}[13579]" if scope.gender == "M" else r"^.{10}[02468]"
    return values


def _shape(scope: Scope) -> tuple[bool, ...]:
    return (
        bool(scope.area),
        bool(scope.exclude_area),
        bool(scope.unit_ids),
        bool(scope.exclude_unit_ids),
        scope.age_band in AGE_BANDS,
        scope.gender in ("K", "M"),
    )


# The statements name the stages; a new stage must be added to the coverage statement too.
assert tuple(Stage.values) == ("pre_birth", "child_health", "school"), Stage.values


# Timestamps are taken as dates in the deployment's time zone (`AT TIME ZONE %(tz)s`), as Django's `__date` does.
BODIES = {
    # Children in scope on the last day; those with an open named-person assignment that day, in all and per
    # stage. An assignment is open on the day when it started that day or before and has not ended before it.
    # The database forbids overlapping assignments of a child (constraint `named_person_no_overlap` over
    # [start, end)), so on the day a child has at most one assignment that goes on past it, either still open
    # (`cur`, no end) or ending later (`later`, mostly when the day is in the past), and at most one that ends on
    # it (`ending`, a handover that day, when the child counts in both stages): left joins that never multiply
    # a child's row, and no grouping of the assignments. Each part is read from an index alone: `cur` from the
    # partial index of open assignments (`np_open_child_stage`, a third of the assignments' rows, in child order),
    # `later` and `ending` from ranges of `np_end_child_stage` (a few rows), and `c` from `child_municipality_scope`
    # (in child order too, so a plan in one process merges the two big inputs without a hash table).
    "coverage": """,
cur AS (
  SELECT a.child_id, a.stage FROM namedperson_assignment a
  WHERE a."end" IS NULL AND a.start <= %(end)s),
later AS (
  SELECT a.child_id, a.stage FROM namedperson_assignment a
  WHERE a."end" > %(end)s AND a.start <= %(end)s),
ending AS (
  SELECT a.child_id, a.stage FROM namedperson_assignment a WHERE a."end" = %(end)s)
SELECT count(*) AS children,
       count(*) FILTER (WHERE cur.child_id IS NOT NULL OR l.child_id IS NOT NULL OR e.child_id IS NOT NULL) AS covered,
       count(*) FILTER (WHERE coalesce(cur.stage, l.stage) = 'pre_birth' OR e.stage = 'pre_birth') AS stage_pre_birth,
       count(*) FILTER (WHERE coalesce(cur.stage, l.stage) = 'child_health' OR e.stage = 'child_health')
         AS stage_child_health,
       count(*) FILTER (WHERE coalesce(cur.stage, l.stage) = 'school' OR e.stage = 'school') AS stage_school
FROM c LEFT JOIN cur ON cur.child_id = c.id LEFT JOIN later l ON l.child_id = c.id
LEFT JOIN ending e ON e.child_id = c.id""",
    # Children whose first concern fell in the period; per child the days to the first plan action starting
    # that day or later (NULL while waiting); the count, the count supported and the two percentiles. The first
    # concern of every child is found from the concerns alone (the partial index `chronology_concerns`, in child
    # order) and only the few children whose first concern fell in the period are then looked up in `c`: the
    # first concern does not depend on the scope, and joining first would match every concern with the whole
    # scope. `waits` is computed once for the three aggregates that read it.
    "time_to_support": """,
firsts AS (
  SELECT e.child_id, min(e.start_date) AS concern
  FROM wellbeing_chronologyentry e
  WHERE e.kind = 'concern'
  GROUP BY e.child_id
  HAVING min(e.start_date) BETWEEN %(start)s AND %(end)s),
waits AS MATERIALIZED (
  SELECT (SELECT min(a.start) FROM plans_action a JOIN plans_childplan p ON p.id = a.plan_id
          WHERE p.child_id = f.child_id AND a.start >= f.concern) - f.concern AS days
  FROM firsts f JOIN c ON c.id = f.child_id)
SELECT count(*) AS n, count(days) AS supported,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY days) AS median,
       percentile_cont(0.9) WITHIN GROUP (ORDER BY days) AS p90
FROM waits""",
    # Plans open on the last day with a next review date: all, and those whose date had not passed.
    "reviews_on_time": """
SELECT count(*) AS n, count(*) FILTER (WHERE p.next_review_on >= %(end)s) AS on_time
FROM plans_childplan p JOIN c ON c.id = p.child_id
WHERE (p.created_at AT TIME ZONE %(tz)s)::date <= %(end)s
  AND p.next_review_on IS NOT NULL AND p.status NOT IN ('draft', 'closed', 'declined')""",
    # Consents asked in the period, per field of work of their recipients: asked, ever given, declined, withdrawn;
    # and a last row (`overall`) counting each consent once over every field of work.
    "consents": """
SELECT au.sector,
       count(DISTINCT s.id) AS asked,
       count(DISTINCT s.id) FILTER (
         WHERE s.status IN ('given', 'expired', 'superseded', 'custody_ended', 'withdrawn')) AS given,
       count(DISTINCT s.id) FILTER (WHERE s.status = 'declined') AS declined,
       count(DISTINCT s.id) FILTER (WHERE s.status = 'withdrawn') AS withdrawn,
       GROUPING(au.sector) = 1 AS overall
FROM sharing_consent s JOIN c ON c.id = s.child_id
JOIN sharing_consent_recipients r ON r.consent_id = s.id
JOIN organisations_authority au ON au.id = r.authority_id
WHERE (s.created_at AT TIME ZONE %(tz)s)::date BETWEEN %(start)s AND %(end)s
GROUP BY GROUPING SETS ((au.sector), ())""",
    # Plans closed in the period, and those after which a new concern or a new plan came within 365 days.
    "reactualisation": """,
closed AS (
  SELECT p.child_id, (p.closed_at AT TIME ZONE %(tz)s)::date AS closed_on,
         ((p.closed_at + interval '365 days') AT TIME ZONE %(tz)s)::date AS year_after
  FROM plans_childplan p JOIN c ON c.id = p.child_id
  WHERE p.status = 'closed'
    AND (p.closed_at AT TIME ZONE %(tz)s)::date BETWEEN %(start)s AND %(end)s)
SELECT count(*) AS n, count(*) FILTER (WHERE
  EXISTS (SELECT 1 FROM wellbeing_chronologyentry e WHERE e.child_id = closed.child_id AND e.kind = 'concern'
          AND e.start_date > closed.closed_on AND e.start_date <= closed.year_after)
  OR EXISTS (SELECT 1 FROM plans_childplan n WHERE n.child_id = closed.child_id
          AND (n.created_at AT TIME ZONE %(tz)s)::date > closed.closed_on
          AND (n.created_at AT TIME ZONE %(tz)s)::date <= closed.year_after)) AS again
FROM closed""",
    # Plans open at some time in the period with two or more wheel assessments since the plan started (up to
    # the last day): the latest assessment's mean rating minus the first's; their mean, better and worse.
    "wellbeing_change": """,
plans AS (
  SELECT p.id, p.child_id, (p.created_at AT TIME ZONE %(tz)s)::date AS started
  FROM plans_childplan p JOIN c ON c.id = p.child_id
  WHERE (p.created_at AT TIME ZONE %(tz)s)::date <= %(end)s
    AND NOT (p.closed_at IS NOT NULL AND (p.closed_at AT TIME ZONE %(tz)s)::date < %(start)s)
    AND p.status NOT IN ('draft', 'declined')),
ends AS (
  SELECT pl.id,
         (SELECT a.id FROM wellbeing_assessment a
          WHERE a.child_id = pl.child_id AND a.kind = 'wheel' AND a.assessed_on >= pl.started
            AND a.assessed_on <= %(end)s ORDER BY a.assessed_on, a.id LIMIT 1) AS first_id,
         (SELECT a.id FROM wellbeing_assessment a
          WHERE a.child_id = pl.child_id AND a.kind = 'wheel' AND a.assessed_on >= pl.started
            AND a.assessed_on <= %(end)s ORDER BY a.assessed_on DESC, a.id DESC LIMIT 1) AS latest_id
  FROM plans pl),
changes AS (
  SELECT (SELECT avg(r.score::float) FROM wellbeing_rating r WHERE r.assessment_id = ends.latest_id)
       - (SELECT avg(r.score::float) FROM wellbeing_rating r WHERE r.assessment_id = ends.first_id) AS change
  FROM ends WHERE first_id IS NOT NULL AND first_id <> latest_id)
SELECT count(*) AS n, avg(change) AS mean,
       count(*) FILTER (WHERE change > 0) AS better, count(*) FILTER (WHERE change < 0) AS worse
FROM changes""",
    # Children with two or more banded SDQ forms up to the last day, the latest in the period: whether the
    # total-difficulties band of the latest is lower (better) or higher than that of the first.
    "sdq_change": """,
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
SELECT count(*) AS n, count(*) FILTER (WHERE latest < first) AS better, count(*) FILTER (WHERE latest > first) AS worse
FROM per_child WHERE k >= 2 AND latest_on >= %(start)s""",
    # Referrals made in the period: per referral the days from the referral to the support's start (NULL while
    # waiting or when it ended without a start); the count, the count started and the two percentiles.
    "referral_wait": """,
waits AS (
  SELECT r.started_on - r.requested_on AS days
  FROM catalogue_referral r JOIN c ON c.id = r.child_id
  WHERE r.requested_on BETWEEN %(start)s AND %(end)s)
SELECT count(*) AS n, count(days) AS done,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY days) AS median,
       percentile_cont(0.9) WITHIN GROUP (ORDER BY days) AS p90
FROM waits""",
    # Handover proposals made in the period: per proposal the days from it to its acceptance (NULL while open or
    # when superseded); the count, the count accepted and the two percentiles.
    "handover_wait": """,
waits AS (
  SELECT CASE WHEN h.status = 'accepted'
              THEN (h.decided_at AT TIME ZONE %(tz)s)::date - (h.created_at AT TIME ZONE %(tz)s)::date END AS days
  FROM namedperson_handoverproposal h JOIN c ON c.id = h.child_id
  WHERE (h.created_at AT TIME ZONE %(tz)s)::date BETWEEN %(start)s AND %(end)s)
SELECT count(*) AS n, count(days) AS done,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY days) AS median,
       percentile_cont(0.9) WITHIN GROUP (ORDER BY days) AS p90
FROM waits""",
}


@cache
def statement(key: str, shape: tuple[bool, ...]) -> str:
    """The whole statement of one KPI for one filter shape (built on first use, then reused)."""
    body = BODIES[key]
    joiner = "" if body.startswith(",") else "\n"
    return f"WITH {children_cte(*shape)}{joiner}{body}"


# Statements planned for one process. PostgreSQL would split coverage over parallel workers (a hash join of the
# whole scope built in shared memory), which at 200 000 children took about three times the CPU of the plan in
# one process (a merge of two child-ordered index scans) and was slower on a busy machine (docs/evaluation.md).
ONE_PROCESS = frozenset({"coverage"})


@contextmanager
def planned(cursor, key: str) -> Iterator[None]:
    """Run the statements inside with the planner settings of one KPI (in a transaction; put back afterwards)."""
    if key not in ONE_PROCESS:
        yield
        return
    cursor.execute("SELECT current_setting('max_parallel_workers_per_gather')")
    (before,) = cursor.fetchone()
    cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
    yield
    cursor.execute("SELECT set_config('max_parallel_workers_per_gather', %s, true)", [before])


def rows(key: str, scope: Scope, period: Period) -> list[dict]:
    """Run one KPI's statement and return its rows as dicts."""
    with transaction.atomic(savepoint=False), connection.cursor() as cursor, planned(cursor, key):
        cursor.execute(statement(key, _shape(scope)), params(scope, period))
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def row(key: str, scope: Scope, period: Period) -> dict:
    return rows(key, scope, period)[0]
