"""The plan pages (staff and family) and the child overview stay at a fixed number of SQL queries as the plan grows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from plans import services
from plans.tests.setup import add_action, agree_all, answer, bup_relation, plan_consent, send, start, via
from testsupport.cast import sign_in


def grow(cast, plan, n: int) -> None:
    for i in range(n):
        add_action(cast, plan, description=f"Åtgärd {i}")
        services.participant_add(plan=plan, role="other", name=f"Deltagare {i}", via=via(cast.named_person))
        services.need_set(
            plan=plan, indicator=["safe", "healthy", "active"][i % 3], summary="x", via=via(cast.named_person)
        )
        services.link_add(plan=plan, kind="sip", reference=f"SIP {i}", held_by="Region", via=via(cast.named_person))
        agree_all(cast, plan)


@pytest.mark.parametrize("persona", ["named_person", "bup_clinician"])
def test_the_plan_page_runs_a_fixed_number_of_queries(client, cast, django_assert_num_queries, persona):
    bup_relation(cast)
    plan_consent(cast)
    plan = start(cast)
    grow(cast, plan, 1)
    address = reverse("plans:plan", kwargs={"child_id": cast.child.pk, "plan_id": plan.pk})
    sign_in(client, getattr(cast, persona))
    client.get(address)  # warm the session
    with CaptureQueriesContext(connection) as short:
        assert client.get(address).status_code == 200
    grow(cast, plan, 6)
    with django_assert_num_queries(len(short.captured_queries)):
        response = client.get(address)
    assert "Åtgärd 5" in response.content.decode()


def test_the_overview_panel_adds_a_fixed_number_of_queries(client, cast, django_assert_num_queries):
    address = reverse("people:child", kwargs={"child_id": cast.child.pk})
    sign_in(client, cast.named_person)
    plan = start(cast)
    client.get(address)
    with CaptureQueriesContext(connection) as short:
        client.get(address)
    for _ in range(4):
        services.plan_close(plan=plan, user=cast.named_person, reason="Klar", via=via(cast.named_person))
        plan = start(cast)
    with django_assert_num_queries(len(short.captured_queries)):
        body = client.get(address).content.decode()
    assert "4 tidigare planer" in body


def test_the_family_plan_page_runs_a_fixed_number_of_queries(client, cast, django_assert_num_queries):
    plan = start(cast)
    grow(cast, plan, 1)
    send(cast, plan)
    address = reverse("family:plan", args=[cast.child.pk])
    sign_in(client, cast.guardian_user)
    client.get(address)  # warm the session
    with CaptureQueriesContext(connection) as short:
        assert client.get(address).status_code == 200
    grow(cast, plan, 6)
    send(cast, plan)
    answer(cast.co_guardian, plan)
    with django_assert_num_queries(len(short.captured_queries)):
        response = client.get(address)
    body = response.content.decode()
    assert "Åtgärd 5" in body and "1 annan vårdnadshavare har svarat" in body
