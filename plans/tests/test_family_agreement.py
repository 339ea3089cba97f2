"""Sending the plan to the guardians and their own answers: one rule for agreeing, each guardian for themselves."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import AuditEvent
from people.models import Guardianship
from plans import selectors, services
from plans.models import ChildPlan, Participant, PlanAgreement, PlanVersion, Status
from plans.tests.setup import add_action, agree_all, answer, bup_relation, plan_consent, send, start, via
from testsupport.cast import sign_in


@pytest.fixture
def plan(cast):
    plan = start(cast)
    add_action(cast, plan)
    return plan


def url(name, plan) -> str:
    return reverse(f"plans:{name}", kwargs={"child_id": plan.child_id, "plan_id": plan.pk})


def test_it_links_the_guardians_in_the_plan_to_their_records(cast, plan):
    guardians = plan.participants.filter(role=Participant.Role.GUARDIAN)
    assert set(guardians.values_list("guardian", flat=True)) == {cast.guardian.pk, cast.co_guardian.pk}


def test_a_sent_version_waits_until_every_guardian_has_agreed(cast, plan):
    version = send(cast, plan)
    assert (version.number, version.agreed_at, version.agreed_by) == (1, None, cast.named_person)
    assert version.sent_at is not None
    assert selectors.awaiting_version(plan) == version
    first = answer(cast.guardian, plan, note="Bra att skolan hjälper till.")
    assert (first.method, first.guardian, first.role, first.note) == (
        PlanAgreement.Method.FAMILY_VIEW,
        cast.guardian,
        Participant.Role.GUARDIAN,
        "Bra att skolan hjälper till.",
    )
    plan.refresh_from_db()
    assert plan.status == Status.DRAFT  # one guardian is not the family's agreement
    answer(cast.co_guardian, plan)
    plan.refresh_from_db()
    version.refresh_from_db()
    assert plan.status == Status.AGREED
    assert version.agreed_at is not None
    assert plan.next_review_on is not None
    assert selectors.awaiting_version(plan) is None
    assert AuditEvent.objects.filter(record_type="PlanAgreement", basis="guardian", action="create").count() == 2
    assert AuditEvent.objects.filter(record_type="PlanVersion", basis="guardian", action="update").exists()


def test_a_guardian_who_says_no_keeps_the_plan_from_being_agreed(cast, plan):
    version = send(cast, plan)
    answer(cast.guardian, plan, "disagrees", "Vi vill vänta.")
    answer(cast.co_guardian, plan)
    plan.refresh_from_db()
    version.refresh_from_db()
    assert plan.status == Status.DRAFT
    assert version.agreed_at is None
    assert selectors.awaiting_version(plan) == version  # staff see both answers and talk with the family


def test_a_guardian_answers_once_and_only_for_themselves(cast, plan):
    send(cast, plan)
    answer(cast.guardian, plan)
    with pytest.raises(ValidationError, match="redan svarat"):
        answer(cast.guardian, plan, "disagrees")
    assert PlanAgreement.objects.filter(guardian=cast.guardian).count() == 1
    assert not PlanAgreement.objects.filter(guardian=cast.co_guardian).exists()
    with pytest.raises(ValidationError, match="inte med som vårdnadshavare"):
        answer(cast.noncustodial_parent, plan)


def test_a_plan_changed_after_it_was_sent_takes_no_answer_until_sent_again(cast, plan):
    send(cast, plan)
    add_action(cast, plan, description="Läxhjälp")
    with pytest.raises(ValidationError, match="ändrats sedan den skickades"):
        answer(cast.guardian, plan)
    again = send(cast, plan)
    assert again.number == 2
    answer(cast.guardian, plan)
    answer(cast.co_guardian, plan)
    plan.refresh_from_db()
    assert plan.status == Status.AGREED
    assert [row.number for row in PlanVersion.objects.filter(agreed_at__isnull=False)] == [2]


def test_sending_needs_a_ready_plan_and_guardians_who_can_answer(cast):
    plan = start(cast)
    with pytest.raises(ValidationError, match="minst en åtgärd"):
        send(cast, plan)
    add_action(cast, plan)
    send(cast, plan)
    with pytest.raises(ValidationError, match="väntar redan"):
        send(cast, plan)
    cast.co_guardian.user = None
    cast.co_guardian.save(update_fields=["user"])
    with pytest.raises(ValidationError, match="Johan Andersson kan inte svara i Samplan"):
        send(cast, plan)
    assert PlanVersion.objects.count() == 1


def test_a_guardian_whose_custody_ended_cannot_answer(cast, plan):
    send(cast, plan)
    Guardianship.objects.filter(guardian=cast.co_guardian).update(has_custody=False)
    with pytest.raises(ValidationError, match="inte med som vårdnadshavare"):
        answer(cast.co_guardian, plan)


def test_staff_may_still_record_the_answers_and_that_replaces_the_sent_version(cast, plan):
    send(cast, plan)
    answer(cast.guardian, plan)
    agreed = agree_all(cast, plan)
    plan.refresh_from_db()
    assert agreed.number == 2 and plan.status == Status.AGREED
    assert selectors.awaiting_version(plan) is None
    rows = agreed.agreements.filter(role=Participant.Role.GUARDIAN)
    assert set(rows.values_list("method", flat=True)) == {PlanAgreement.Method.STAFF}
    assert set(rows.values_list("guardian", flat=True)) == {cast.guardian.pk, cast.co_guardian.pk}
    with pytest.raises(ValidationError, match="väntar inte på ditt svar"):
        answer(cast.co_guardian, plan)


def test_an_agreed_plan_can_be_sent_again_after_a_review(cast, plan):
    agree_all(cast, plan)
    services.plan_activate(plan=plan, via=via(cast.named_person))
    version = send(cast, plan)
    answer(cast.guardian, plan)
    answer(cast.co_guardian, plan)
    plan.refresh_from_db()
    version.refresh_from_db()
    assert plan.status == Status.ACTIVE and version.agreed_at is not None


def test_the_staff_pages_show_what_waits_for_the_family(client, cast, plan):
    sign_in(client, cast.teacher)
    response = client.post(url("send", plan))
    assert response.status_code == 302
    version = PlanVersion.objects.get()
    answer(cast.guardian, plan, note="Vi är med.")
    body = client.get(url("plan", plan)).content.decode()
    assert "väntar på deras svar" in body and "1 svar hittills" in body
    agree_page = client.get(url("agree", plan)).content.decode()
    assert "Petra Andersson: Instämmer (i familjevyn, av personen själv" in agree_page and "Vi är med." in agree_page
    versions = client.get(url("versions", plan)).content.decode()
    assert "väntar på svar" in versions
    number = reverse("plans:version", kwargs={"child_id": plan.child_id, "plan_id": plan.pk, "number": 1})
    page = client.get(number).content.decode()
    assert "Väntar på vårdnadshavarnas svar" in page and "I familjevyn, av personen själv" in page
    assert version.agreements.count() == 1


def test_sending_twice_says_why_and_sends_nothing(client, cast, plan):
    sign_in(client, cast.named_person)
    client.post(url("send", plan))
    response = client.post(url("send", plan), follow=True)
    assert "väntar redan på vårdnadshavarnas svar" in response.content.decode()
    assert PlanVersion.objects.count() == 1


def test_only_the_owning_authority_sends_the_plan(client, cast, plan):
    bup_relation(cast)
    plan_consent(cast)
    sign_in(client, cast.bup_clinician)
    assert client.post(url("send", plan)).status_code == 403
    for persona in ("outsider", "expired", "other_school_teacher"):
        sign_in(client, getattr(cast, persona))
        assert client.post(url("send", plan)).status_code == 404
    assert not PlanVersion.objects.exists()


def test_a_guardian_without_a_record_link_is_not_asked(cast, plan):
    """A guardian added by name only is answered for by staff, never matched to a login by name."""
    services.participant_add(plan=plan, role="guardian", name="Petra Andersson", via=via(cast.named_person))
    with pytest.raises(ValidationError, match="kan inte svara i Samplan"):
        send(cast, plan)
    assert not ChildPlan.objects.get(pk=plan.pk).versions.exists()
