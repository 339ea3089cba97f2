"""`readable_records` answers for every child at once exactly what `records_for_user` answers child by child.

The start page counts and lists records (overdue plan actions …) across all the children a user may see;
it must never count a record the user could not open on the child's own page. A hypothesis test draws
sequences of consents, disclosure decisions, emergency accesses, blocks and plans, and compares the two.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit import log as audit
from people.models import Enrolment
from plans.models import ChildPlan, Participant
from sharing import policy
from sharing.models import Block, Consent, ConsentCategory, DisclosureCategory, DisclosureDecision, EmergencyAccess
from sharing.tests.emergency_setup import neighbour_region
from testsupport.cast import enrol

CATEGORIES = ("education", "health", "social", "plan")
PLAN_STATUSES = ("draft", "active", "closed")


def _per_child(user, queryset) -> set:
    """The records the child pages would show: `records_for_user` for each child the user may see."""
    actor = policy.actor_for(user, session_key="s")
    found = set()
    with audit.deferred():
        for child_id in policy.visible_children(user).values_list("pk", flat=True):
            access = policy.child_for_user(user, child_id, actor=actor, surface="page", target="test")
            found |= set(policy.records_for_user(access, queryset).values_list("pk", flat=True))
    return found


def _bulk(user, queryset) -> set:
    found = set(policy.readable_records(user, queryset).values_list("pk", flat=True))
    mine = policy.current_memberships(user)  # the memberships a request has loaded: the same answer
    assert set(policy.readable_records(user, queryset, mine=mine).values_list("pk", flat=True)) == found
    return found


class World:
    def __init__(self, cast):
        neighbour = neighbour_region(cast)
        self.cast = cast
        self.children = [cast.child, cast.protected_child]
        self.authorities = [cast.education, cast.social, cast.region, neighbour.region, cast.police]
        self.users = [user for key, user in cast.users.items() if key not in ("expired",)]
        enrol(cast.protected_child, cast.social_team, "other", policy.today() - timedelta(days=20))
        enrol(cast.child, cast.bup, "other", policy.today() - timedelta(days=5))
        # One open plan per child: the first child's is the school's, the second's social services'.
        self.plans = [
            ChildPlan.objects.create(
                child=child,
                owner_authority=owner,
                kind="single_agency",
                status="active" if owner == lead else "closed",
                reasons="Stöd",
                created_by=cast.named_person,
            )
            for child, lead in zip(self.children, (cast.education, cast.social), strict=True)
            for owner in (cast.education, cast.social)
        ]

    def pick(self, items, index):
        return items[index % len(items)]


def _consent(w: World, child, owner, recipients, categories, start, end, to_plan, status):
    now = timezone.now()
    consent = Consent.objects.create(
        child=child,
        owner_authority=owner,
        requested_by=w.cast.bup_clinician,
        purpose="Samordnat stöd",
        valid_from=now + timedelta(hours=start),
        valid_until=now + timedelta(hours=start + end),
        status=status,
        to_plan_participants=to_plan,
    )
    consent.recipients.set(recipients)
    ConsentCategory.objects.bulk_create(ConsentCategory(consent=consent, category=c) for c in categories)


def _disclosure(w: World, child, owner, recipients, categories, start, end, revoked):
    now = timezone.now()
    decision = DisclosureDecision.objects.create(
        child=child,
        owner_authority=owner,
        outcome="disclose",
        legal_basis="osl_10_2",
        purpose="p",
        necessary="n",
        relevant="r",
        proportionate="p",
        valid_from=now + timedelta(hours=start),
        valid_until=now + timedelta(hours=start + end),
        decided_by=w.cast.manager,
        revoked_at=now if revoked else None,
    )
    decision.recipients.set(recipients)
    DisclosureCategory.objects.bulk_create(DisclosureCategory(decision=decision, category=c) for c in categories)


def _apply(w: World, step) -> None:
    kind, a, b, c, start, end, flag = step
    child = w.pick(w.children, a)
    owner = w.pick(w.authorities, b)
    recipients = [w.pick(w.authorities, c), w.pick(w.authorities, c + b + 1)][: 1 + flag % 2]
    categories = [w.pick(CATEGORIES, c + i) for i in range(1 + b % 2)]
    if kind == "consent":
        status = ("given", "given", "withdrawn", "requested")[flag % 4]
        _consent(w, child, owner, recipients, categories, start, end, flag % 3 == 0, status)
    elif kind == "disclosure":
        _disclosure(w, child, owner, recipients, categories, start, end, flag % 5 == 0)
    elif kind == "emergency":
        now = timezone.now()
        EmergencyAccess.objects.create(
            child=child,
            user=w.pick(w.users, c),
            owner_authority=owner,
            reason="Akut",
            started_at=now + timedelta(hours=start),
            ends_at=now + timedelta(hours=start + end),
            ended_at=now if flag % 4 == 0 else None,
        )
    elif kind == "block":
        lifted = timezone.now() if flag % 3 == 0 else None
        if Block.objects.filter(child=child, owner_authority=owner, category=categories[0], lifted_at=None).exists():
            return  # one block in force per authority and category
        Block.objects.create(
            child=child,
            owner_authority=owner,
            category=categories[0],
            ground="child_request",
            reason="Barnet har bett om det",
            created_by=w.cast.manager,
            lifted_at=lifted,
        )
    elif kind == "participant":
        plan = w.pick(w.plans, a + b)
        Participant.objects.create(plan=plan, authority=w.pick(w.authorities, c), name="Deltagare", role="other")
    elif kind == "plan-status":
        plan = w.pick(w.plans, a + c)
        status = w.pick(PLAN_STATUSES, flag)
        if status != "closed":  # one open plan per child: the others close first
            ChildPlan.objects.filter(child=plan.child).exclude(pk=plan.pk).update(status="closed")
        ChildPlan.objects.filter(pk=plan.pk).update(status=status)


steps = st.lists(
    st.tuples(
        st.sampled_from(["consent", "disclosure", "emergency", "block", "participant", "plan-status"]),
        st.integers(0, 3),
        st.integers(0, 4),
        st.integers(0, 6),
        st.integers(-30, 2),  # hours from now to the start
        st.integers(1, 48),  # hours it lasts
        st.integers(0, 11),
    ),
    max_size=8,
)


@pytest.fixture
def world(cast) -> World:
    return World(cast)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(drawn=steps)
def test_the_bulk_answer_equals_the_answer_child_by_child(world, drawn):
    from django.db import transaction

    with transaction.atomic():
        for step in drawn:
            _apply(world, step)
        for user in world.users:
            for queryset in (Enrolment.objects.all(), ChildPlan.objects.all()):
                assert _bulk(user, queryset) == _per_child(user, queryset), user.username
        transaction.set_rollback(True)


def test_an_expired_consent_closes_the_plan_in_the_bulk_answer_at_once(world):
    cast = world.cast
    social_plan = world.plans[1]  # the child's plan led by social services: the teacher's school has no part in it
    _consent(world, cast.child, cast.social, [cast.education], ["plan"], -2, 10, False, "given")
    assert social_plan.pk in _bulk(cast.teacher, ChildPlan.objects.all())
    Consent.objects.filter(child=cast.child).update(valid_until=timezone.now() - timedelta(seconds=1))
    assert social_plan.pk not in _bulk(cast.teacher, ChildPlan.objects.all())
    assert world.plans[0].pk in _bulk(cast.teacher, ChildPlan.objects.all())  # the school's own plan stays


def test_another_authoritys_user_and_a_user_without_relation_get_nothing(world):
    cast = world.cast
    assert _bulk(cast.outsider, ChildPlan.objects.all()) == set()
    alva = set(Enrolment.objects.filter(child=cast.child).values_list("pk", flat=True))
    assert not _bulk(cast.expired, Enrolment.objects.all()) & alva  # the assignment to Alva ended yesterday
    own_school = {plan.pk for plan in world.plans if plan.owner_authority == cast.education}
    assert _bulk(cast.teacher, ChildPlan.objects.all()) == own_school
