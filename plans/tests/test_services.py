"""The plan rules: one open plan, the lead-professional rule, the life cycle, closing and declining."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from plans import services
from plans.models import ChildPlan, Participant, PlanVersion, Status
from plans.tests.setup import add_action, agree_all, start, via
from sharing import policy


def test_it_starts_a_draft_with_the_child_guardians_and_named_person(cast):
    plan = start(cast)
    assert plan.status == Status.DRAFT
    assert plan.owner_authority == cast.education
    assert plan.category == "plan"
    assert plan.named_person.person == cast.named_person
    roles = sorted(plan.participants.values_list("role", flat=True))
    assert roles == ["child", "guardian", "guardian", "named_person"]


def test_it_refuses_a_second_open_plan_with_a_message(cast):
    start(cast)
    with pytest.raises(ValidationError) as refused:
        start(cast, by=cast.teacher, kind="single_agency")
    assert "redan en plan" in str(refused.value)
    assert ChildPlan.objects.filter(child=cast.child).count() == 1


def test_the_database_refuses_a_second_open_plan(cast):
    plan = start(cast)
    with pytest.raises(IntegrityError), transaction.atomic():
        ChildPlan.objects.create(
            child=cast.child,
            owner_authority=cast.education,
            kind="single_agency",
            reasons="x",
            created_by=cast.teacher,
        )
    plan.status = Status.CLOSED
    plan.save()
    ChildPlan.objects.create(
        child=cast.child, owner_authority=cast.education, kind="single_agency", reasons="x", created_by=cast.teacher
    )  # a closed plan is history: a new one may start


def test_a_multi_agency_plan_needs_a_lead(cast):
    with pytest.raises(ValidationError) as refused:
        services.plan_start(
            child=cast.child, user=cast.teacher, kind="multi_agency", reasons="Oro", via=via(cast.teacher)
        )
    assert "ansvarig samordnare" in str(refused.value)
    assert not ChildPlan.objects.exists()


def test_the_database_refuses_a_multi_agency_plan_without_a_lead(cast):
    with pytest.raises(IntegrityError), transaction.atomic():
        ChildPlan.objects.create(
            child=cast.child,
            owner_authority=cast.education,
            kind="multi_agency",
            reasons="x",
            created_by=cast.teacher,
        )


def test_a_second_authority_needs_a_lead_even_in_a_single_agency_plan(cast):
    plan = start(cast, kind="single_agency", by=cast.teacher)
    with pytest.raises(ValidationError) as refused:
        services.participant_add(
            plan=plan, role="practitioner", user=cast.bup_clinician, authority=cast.region, via=via(cast.teacher)
        )
    assert "två eller fler myndigheter" in str(refused.value)
    with pytest.raises(ValidationError):
        add_action(cast, plan, authority=cast.social)
    assert not plan.participants.filter(user=cast.bup_clinician).exists()
    assert not plan.actions.exists()


def test_the_lead_works_for_an_authority_taking_part(cast):
    with pytest.raises(ValidationError) as refused:
        start(cast, lead=cast.bup_clinician)
    assert "arbeta i en myndighet som deltar i planen (Barn- och utbildningsnämnden)" in str(refused.value)
    plan = start(cast)
    with pytest.raises(ValidationError, match="myndighet som deltar i planen"):
        services.plan_update(
            plan=plan,
            version=plan.version,
            values={"lead_professional": cast.bup_clinician},
            user=cast.named_person,
            via=via(cast.named_person),
        )
    services.participant_add(
        plan=plan, role="practitioner", user=cast.bup_clinician, authority=cast.region, via=via(cast.named_person)
    )
    plan.refresh_from_db()
    services.plan_update(
        plan=plan,
        version=plan.version,
        values={"lead_professional": cast.bup_clinician},
        user=cast.named_person,
        via=via(cast.named_person),
    )  # BUP takes part now: its clinician may lead the plan
    plan.refresh_from_db()
    assert plan.lead_professional == cast.bup_clinician
    assert plan.owner_authority == cast.education


def test_the_leads_authority_cannot_leave_the_plan(cast):
    plan = start(cast)
    bup = services.participant_add(
        plan=plan, role="practitioner", user=cast.bup_clinician, authority=cast.region, via=via(cast.named_person)
    )
    plan.refresh_from_db()
    services.plan_update(
        plan=plan,
        version=plan.version,
        values={"lead_professional": cast.bup_clinician},
        user=cast.named_person,
        via=via(cast.named_person),
    )
    bup.refresh_from_db()
    with pytest.raises(ValidationError, match="Byt ansvarig samordnare först"):
        services.participant_remove(participant=bup, via=via(cast.named_person))
    assert plan.participants.filter(pk=bup.pk).exists()
    named = plan.participants.get(role=Participant.Role.NAMED_PERSON)
    services.participant_remove(participant=named, via=via(cast.named_person))  # the owner takes part anyway


def test_the_lead_cannot_be_removed_while_two_authorities_take_part(cast):
    plan = start(cast, kind="single_agency", lead=cast.named_person)
    services.participant_add(
        plan=plan, role="practitioner", user=cast.bup_clinician, authority=cast.region, via=via(cast.named_person)
    )
    with pytest.raises(ValidationError):
        services.plan_update(
            plan=plan,
            version=plan.version,
            values={"lead_professional": None},
            user=cast.named_person,
            via=via(cast.named_person),
        )
    plan.refresh_from_db()
    assert plan.lead_professional == cast.named_person


def test_agreement_needs_an_action_and_every_guardian(cast):
    plan = start(cast)
    with pytest.raises(ValidationError, match="minst en åtgärd"):
        agree_all(cast, plan)
    add_action(cast, plan)
    child = plan.participants.get(role=Participant.Role.CHILD)
    with pytest.raises(ValidationError, match="varje vårdnadshavare"):
        services.plan_agree(
            plan=plan, user=cast.named_person, answers={child.pk: ("agrees", "")}, via=via(cast.named_person)
        )
    guardian = plan.participants.filter(role=Participant.Role.GUARDIAN).first()
    answers = {row.pk: ("agrees", "") for row in plan.participants.all()}
    answers[guardian.pk] = ("disagrees", "Vi vill vänta.")
    with pytest.raises(ValidationError, match="instämmer inte"):
        services.plan_agree(plan=plan, user=cast.named_person, answers=answers, via=via(cast.named_person))
    assert not PlanVersion.objects.exists()


def test_the_life_cycle_from_draft_to_closed_returns_the_child_to_the_named_person(cast):
    plan = start(cast)
    add_action(cast, plan)
    version = agree_all(cast, plan)
    plan.refresh_from_db()
    assert (version.number, plan.status) == (1, Status.AGREED)
    assert version.agreements.count() == plan.participants.count()
    assert version.snapshot["actions"][0]["description"] == "Samtal varje vecka"
    assert plan.next_review_on == policy.today() + timedelta(weeks=12)
    services.plan_activate(plan=plan, via=via(cast.named_person))
    review = services.plan_review_start(plan=plan, user=cast.named_person, via=via(cast.named_person))
    plan.refresh_from_db()
    assert plan.status == Status.REVIEW
    with pytest.raises(ValidationError, match="pågående uppföljningen"):
        services.plan_close(plan=plan, user=cast.named_person, reason="Klart", via=via(cast.named_person))
    services.plan_review_complete(
        review=review,
        user=cast.named_person,
        held_on=policy.today(),
        answers={"improved": "Går till skolan", "aims_met": "Ja", "can_continue": "Ja"},
        ratings={"achieving": (4, "Bättre"), "included": (4, "")},
        via=via(cast.named_person),
    )
    review.refresh_from_db()
    assert review.assessment.ratings.count() == 2
    services.plan_close(plan=plan, user=cast.named_person, reason="Oron är borta.", via=via(cast.named_person))
    plan.refresh_from_db()
    assert plan.status == Status.CLOSED
    assert plan.returned_to == cast.named_person
    assert plan.closed_at is not None
    with pytest.raises(ValidationError, match="avslutad"):
        add_action(cast, plan)


def test_the_family_may_decline_and_a_new_plan_may_start_later(cast):
    plan = start(cast)
    services.plan_decline(plan=plan, user=cast.named_person, note="Vi klarar det själva.", via=via(cast.named_person))
    plan.refresh_from_db()
    assert plan.status == Status.DECLINED
    assert plan.declined_note == "Vi klarar det själva."
    assert start(cast).status == Status.DRAFT


def test_bad_input_changes_nothing(cast):
    plan = start(cast)
    before = plan.version
    with pytest.raises(ValidationError):
        services.plan_update(
            plan=plan,
            version=plan.version,
            values={"reasons": "  "},
            user=cast.named_person,
            via=via(cast.named_person),
        )
    with pytest.raises(ValidationError):
        services.need_set(plan=plan, indicator="happy", summary="x", via=via(cast.named_person))
    plan.refresh_from_db()
    assert plan.version == before
    assert not plan.needs.exists()
