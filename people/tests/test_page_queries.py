"""The statements each page runs, pinned one by one: the floor, the child overview and the plan page.

Each page's statements are named by what they read (the first table after FROM, or the statement
itself), so a new query, or one that moved, shows here by name. Counts are taken on a warm session
(the idle timer renewed by the first request) and again after the child's history has grown, which
must change nothing. In tests the page's transaction is a savepoint inside the test's own.
"""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from people.tests.test_child_overview import _grow_history
from plans.tests.setup import bup_relation, plan_consent, start
from plans.tests.test_queries import grow
from sharing.tests.test_permission_matrix import ACTIVE, make_consent, relate_social_worker
from testsupport.cast import sign_in

TABLE = re.compile(r'\s*"?(\w+)"?')
FIRST_TABLE = re.compile(r'\bFROM\s+"?(\w+)"?', re.I)
FUNCTION = re.compile(r"SELECT\s+(\w+)", re.I)
# A page's reads in one statement (core.batch); on PostgreSQL run as a statement prepared once per connection.
BATCH = re.compile(r"WITH batch0 AS MATERIALIZED\b|EXECUTE samplan_")
WITH_OPENINGS = re.compile(r"SELECT c\.\*, .* AS samplan_openings FROM", re.S)


def named(sql: str) -> str:
    """Name a statement by the table its outer query reads or writes, or by its verb when it has none.

    A UNION is named by the first table it reads (the databases nest its parts differently); tables
    inside sub-queries (deeper parentheses) do not count otherwise. A SELECT of no table is named by the
    function it calls.
    """
    sql = sql.strip()
    if BATCH.match(sql):
        return "batch"  # several reads in one statement (core.batch)
    if WITH_OPENINGS.match(sql):
        return "people_child and openings"  # the child's check with what opens its records (PostgreSQL)
    outer = len(sql) - len(sql.lstrip("("))  # the parentheses the first part of a UNION opens
    verb = sql[outer:].split(None, 1)[0].upper()
    if verb == "SELECT" and " UNION " in sql.upper():
        return "UNION " + FIRST_TABLE.search(sql).group(1)
    keyword = {"SELECT": "FROM", "INSERT": "INTO"}.get(verb)
    if keyword is None:
        return verb if verb != "UPDATE" else "UPDATE " + TABLE.match(sql, len(verb)).group(1)
    depth, upper = 0, sql.upper()
    for index, char in enumerate(sql):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == outer and upper.startswith(keyword + " ", index) and not sql[index - 1].isalnum():
            table = TABLE.match(sql, index + len(keyword)).group(1)
            return table if verb == "SELECT" else f"{verb} {table}"
    return "SELECT " + FUNCTION.match(sql, outer).group(1)


def statements(client, address: str) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(address)
    assert response.status_code == 200
    return [named(query["sql"]) for query in queries.captured_queries]


# What every signed-in page reads before its view runs.
SIGNED_IN = (
    "django_session",  # the session (no write: the idle timer is renewed at most once a minute)
    "accounts_user",  # the signed-in user
    "otp_totp_totpdevice",  # the second factor the session was verified with
)
# What every page showing a child reads first, in its one transaction.
CHILD_PAGE = (
    "SAVEPOINT",  # the page's transaction, with its audit rows (a savepoint inside the test's transaction)
    "organisations_membership",  # the user's memberships: the policy, the audit actor, the menu and the banner
    "people_child",  # the child, checked in the precomputed relation (policy.child_for_user, a prepared query)
    "organisations_municipality",  # the child's municipality
    "UNION sharing_consent",  # what opens other authorities' records: consents, decisions, emergency access, blocks
)
# The overview and the plan page read the child's municipality with their other reads, in their batch, and
# on PostgreSQL what opens other authorities' records with the child's check, in one statement.
CHILD_CHECKED = (
    ("SAVEPOINT", "organisations_membership", "people_child and openings")
    if connection.vendor == "postgresql"
    else tuple(name for name in CHILD_PAGE if name != "organisations_municipality")
)
# PostgreSQL: the audit chain's lock, held until the page's transaction ends.
AUDIT_LOCK = ("SELECT pg_advisory_xact_lock",) if connection.vendor == "postgresql" else ()
# The overview's reads after the child and its openings: in one statement, however long the history.
OVERVIEW_BATCH = (
    # The child's municipality; the wellbeing wording; the address (when the user may locate the child); the
    # guardians; sibling candidates; enrolments and named persons the user may read; the log extract and its
    # readers (when the user may read it); consents in force and requests waiting, with what each shows;
    # the municipality's warning days; the chronology count; the ratings of the wheels the user may read;
    # the plans the user may read; handover summaries the user may read, and those to the user that they
    # may not; whether the user also signs in as family (the menu).
    "batch",
)
# The audit rows every page showing a child writes before it commits.
AUDIT_WRITE = (
    *AUDIT_LOCK,
    "audit_auditevent",  # the head of the audit chain
    "INSERT audit_auditevent",  # the page's audit rows, in one statement
    "RELEASE",  # commit
)
# The overview's context processors read nothing: the menu's family check was in the page's batch, and
# a clinician's emergency banner is its one query.
OVERVIEW = (*SIGNED_IN, *CHILD_CHECKED, *OVERVIEW_BATCH, *AUDIT_WRITE)

FLOOR = (*SIGNED_IN, "organisations_membership")  # the floor's own answer: how many memberships

# The named person reads the address and the log extract, a teacher of a protected child neither, a social
# worker the school's enrolment opened by a consent: all in the same batch.
OVERVIEW_NAMED_PERSON = OVERVIEW
OVERVIEW_TEACHER_PROTECTED = OVERVIEW
OVERVIEW_SOCIAL_WORKER_WITH_CONSENT = (
    *SIGNED_IN,
    *CHILD_CHECKED,
    *OVERVIEW_BATCH,
    # A consent in force: what it opens, to whom, to which teams, who agreed and when it was renewed or
    # changed, for the consents the batch found, by id (one more batch).
    "batch",
    *AUDIT_WRITE,
)

# The plan page's reads after the child: in one statement, however long the plan.
PLAN_BATCH = (
    # The child's municipality; the wellbeing wording; whether the user also signs in as family (the menu);
    # the plan the user may read (policy.records_for_user), with its joins; and of that plan (a sub-query
    # of the same statement): participants, needs, actions, links to statutory plans, versions, each
    # version's agreements, reviews.
    "batch",
)
PLAN_NAMED_PERSON = (*SIGNED_IN, *CHILD_CHECKED, *PLAN_BATCH, *AUDIT_WRITE)
PLAN_BUP_CLINICIAN = (
    *SIGNED_IN,
    *CHILD_CHECKED,
    *PLAN_BATCH,
    "sharing_emergencyaccess",  # the banner: a clinician at a health-care authority may hold emergency access
    *AUDIT_WRITE,
)


def overview(child) -> str:
    return reverse("people:child", kwargs={"child_id": child.pk})


def warm(client, user, address: str) -> None:
    sign_in(client, user)
    client.get(address)  # the first request after sign-in starts the idle timer (a session write)


def test_the_floor_reads_the_session_and_the_memberships_and_writes_nothing(client, cast):
    warm(client, cast.teacher, reverse("core:whoami"))
    assert statements(client, reverse("core:whoami")) == list(FLOOR)


def test_the_overview_of_the_named_person_does_not_grow_with_history(client, cast):
    warm(client, cast.named_person, overview(cast.child))
    assert statements(client, overview(cast.child)) == list(OVERVIEW_NAMED_PERSON)
    _grow_history(cast, cast.child, count=20)
    assert statements(client, overview(cast.child)) == list(OVERVIEW_NAMED_PERSON)


def test_the_overview_of_a_protected_child_for_a_teacher(client, cast):
    warm(client, cast.teacher, overview(cast.protected_child))
    assert statements(client, overview(cast.protected_child)) == list(OVERVIEW_TEACHER_PROTECTED)
    _grow_history(cast, cast.protected_child, count=20)
    assert statements(client, overview(cast.protected_child)) == list(OVERVIEW_TEACHER_PROTECTED)


def test_the_overview_for_a_social_worker_with_consent(client, cast):
    relate_social_worker(cast)
    make_consent(cast, ACTIVE, "social")
    warm(client, cast.social_worker, overview(cast.child))
    assert statements(client, overview(cast.child)) == list(OVERVIEW_SOCIAL_WORKER_WITH_CONSENT)


@pytest.mark.parametrize(
    ("persona", "expected"), [("named_person", PLAN_NAMED_PERSON), ("bup_clinician", PLAN_BUP_CLINICIAN)]
)
def test_the_plan_page_does_not_grow_with_the_plan(client, cast, persona, expected):
    bup_relation(cast)
    plan_consent(cast)
    plan = start(cast)
    grow(cast, plan, 1)
    address = reverse("plans:plan", kwargs={"child_id": cast.child.pk, "plan_id": plan.pk})
    warm(client, getattr(cast, persona), address)
    assert statements(client, address) == list(expected)
    grow(cast, plan, 4)
    assert statements(client, address) == list(expected)
