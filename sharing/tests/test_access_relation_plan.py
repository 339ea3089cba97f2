"""On PostgreSQL, a page of the child list costs the same for a caseload of 100 or 5 000 children.

The list's main query starts from the index on (user, sort key, child) of the access relation and
stops after a page; its planned cost must stay low and must not grow with the caseload (skipped
on SQLite, whose planner this does not describe).
"""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.personnummer import with_check_digit
from organisations.models import Municipality
from people.models import Child
from sharing.models import AccessRelation
from sharing.policy import Basis, lists

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner only")

User = get_user_model()
ON = date(2026, 6, 1)
MAX_COST = 500  # the full caseload's sort or scan would cost tens of thousands


def _caseload(user, municipality, size: int, first: int) -> None:
    children = [
        Child(
            identity_kind="personnummer",
            identity_number=with_check_digit(date(2012, 1, 1) + timedelta(days=n % 3000), 100 + n // 3000),
            given_name=f"Barn {n}",
            family_name=f"Efternamn {n % 97}",
            birth_date=date(2012, 1, 1) + timedelta(days=n % 3000),
            municipality=municipality,
        )
        for n in range(first, first + size)
    ]
    Child.objects.bulk_create(children, batch_size=2000)
    AccessRelation.objects.bulk_create(
        [
            AccessRelation(
                user=user,
                child=child,
                basis=Basis.ENROLMENT,
                rank=1,
                source_id=n,
                valid_from=date(2025, 8, 1),
                shows_identity=False,
                name_key=f"efternamn {int(child.family_name.split()[1]):03d} barn",
                search_key=f" efternamn {child.given_name.lower()}",
                birth_date=child.birth_date,
            )
            for n, child in enumerate(children)
        ],
        batch_size=2000,
    )


def _main_query_cost(user, sort: str) -> float:
    with CaptureQueriesContext(connection) as captured:
        page = lists.visible_page(user, on=ON, sort=sort)
    assert len(page.child_ids) == lists.PAGE_SIZE
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE sharing_accessrelation")
        cursor.execute("ANALYZE people_child")
        cursor.execute("EXPLAIN (FORMAT JSON) " + captured.captured_queries[0]["sql"])
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return plan[0]["Plan"]["Total Cost"]


@pytest.mark.django_db
@pytest.mark.parametrize("sort", ["name", "born"])
def test_a_page_costs_the_same_for_a_small_and_a_huge_caseload(sort):
    municipality = Municipality.objects.create(name="Planby", code="9996")
    small, huge = User.objects.create_user(username="liten"), User.objects.create_user(username="stor")
    _caseload(small, municipality, 100, 0)
    _caseload(huge, municipality, 5000, 100)
    small_cost, huge_cost = _main_query_cost(small, sort), _main_query_cost(huge, sort)
    assert small_cost < MAX_COST and huge_cost < MAX_COST, (small_cost, huge_cost)
    assert huge_cost < small_cost * 1.5 + 50, (small_cost, huge_cost)
