"""On PostgreSQL: agreed versions cannot be changed (a sent one becomes agreed once), concurrent edits are refused."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import DatabaseError, connection, connections, transaction
from django.utils import timezone

from plans import services
from plans.models import Action, ChildPlan, PlanAgreement, PlanVersion
from plans.tests.setup import add_action, agree_all, answer, send, start, via
from testsupport.cast import build_cast

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL triggers and row locks")


@pytest.fixture
def agreed(cast):
    plan = start(cast)
    add_action(cast, plan)
    return agree_all(cast, plan)


@pytest.mark.django_db
def test_it_refuses_to_change_an_agreed_version(agreed):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        PlanVersion.objects.filter(pk=agreed.pk).update(snapshot={})
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM plans_planagreement WHERE version_id = %s", [agreed.pk])
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        PlanAgreement.objects.filter(version=agreed).update(answer="disagrees")
    agreed.refresh_from_db()
    assert agreed.snapshot["actions"]
    assert not PlanAgreement.objects.filter(answer="disagrees").exists()


@pytest.mark.django_db
def test_a_sent_version_becomes_agreed_once_and_nothing_else_changes(cast):
    plan = start(cast)
    add_action(cast, plan)
    version = send(cast, plan)
    later = timezone.now() + timedelta(minutes=1)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        PlanVersion.objects.filter(pk=version.pk).update(snapshot={})
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        PlanVersion.objects.filter(pk=version.pk).update(agreed_at=later, snapshot={})
    answer(cast.guardian, plan)
    answer(cast.co_guardian, plan)
    version.refresh_from_db()
    assert version.agreed_at is not None
    for change in ({"agreed_at": later}, {"agreed_at": None}):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            PlanVersion.objects.filter(pk=version.pk).update(**change)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        PlanAgreement.objects.filter(version=version).update(answer="disagrees")


@pytest.mark.django_db(transaction=True)
def test_of_two_concurrent_action_edits_the_second_is_refused():
    cast = build_cast()
    plan = start(cast)
    action = add_action(cast, plan)
    based_on = action.version
    outcome: dict[str, object] = {}

    def second_editor():
        try:
            mine = Action.objects.get(pk=action.pk)
            services.action_update(
                action=mine, version=based_on, values={"resources": "Bs resurser"}, via=via(cast.teacher)
            )
            outcome["second"] = "saved"
        except services.ActionConflict as conflict:
            outcome["second"] = conflict.current
        finally:
            connections.close_all()

    with transaction.atomic():
        services.action_update(
            action=action, version=based_on, values={"resources": "As resurser"}, via=via(cast.named_person)
        )
        other = threading.Thread(target=second_editor)
        other.start()
        other.join(timeout=1)
        assert other.is_alive(), "the second session waits for the first one's plan lock"
    other.join(timeout=20)
    current = outcome["second"]
    assert isinstance(current, Action), "the second save must be refused"
    assert (current.resources, current.version) == ("As resurser", based_on + 1)


@pytest.mark.django_db(transaction=True)
def test_of_two_concurrent_edits_the_second_is_refused():
    cast = build_cast()
    plan = start(cast)
    based_on = plan.version
    outcome: dict[str, object] = {}

    def second_editor():
        try:
            mine = ChildPlan.objects.get(pk=plan.pk)
            services.plan_update(
                plan=mine, version=based_on, values={"reasons": "Bs text"}, user=cast.teacher, via=via(cast.teacher)
            )
            outcome["second"] = "saved"
        except services.PlanConflict as conflict:
            outcome["second"] = conflict.current
        finally:
            connections.close_all()

    with transaction.atomic():
        services.plan_update(
            plan=plan,
            version=based_on,
            values={"reasons": "As text"},
            user=cast.named_person,
            via=via(cast.named_person),
        )
        other = threading.Thread(target=second_editor)
        other.start()
        other.join(timeout=1)
        assert other.is_alive(), "the second session waits for the first one's row lock"
    other.join(timeout=20)
    current = outcome["second"]
    assert isinstance(current, ChildPlan), "the second save must be refused"
    assert current.reasons == "As text"
    assert current.version == based_on + 1
    plan.refresh_from_db()
    assert (plan.reasons, plan.version) == ("As text", based_on + 1)
