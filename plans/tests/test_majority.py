"""Who agrees the plan at each age, and a plan the guardians agreed before the child turned 18.

The same rule as for consents (`sharing.services.consents.child_say`): the guardians with custody,
and the child's own answer from the municipality's consent age; from 18 the young person alone.
A plan in force that only the guardians (with or without the child) agreed to before the 18th
birthday is flagged for renewal with the young person, on its pages and by a reminder.
"""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from plans import services
from plans.models import Participant, Reminder, Status
from plans.services import renewals_make
from plans.tests.setup import add_action, agree_all, start, via
from sharing import policy
from sharing.tests.consent_setup import child_login, rules, turn
from testsupport.cast import sign_in

RENEW = "Planen godkändes innan barnet fyllde 18, av vårdnadshavarna"


def _answers(plan, *, child: str | None = "agrees", guardians: str | None = "agrees"):
    replies = {Participant.Role.CHILD: child, Participant.Role.GUARDIAN: guardians}
    return {
        row.pk: (replies.get(row.role) or "agrees", "")
        for row in plan.participants.all()
        if row.role not in replies or replies[row.role] is not None
    }


def _agree(cast, plan, answers):
    return services.plan_agree(plan=plan, user=cast.named_person, answers=answers, via=via(cast.named_person))


def test_the_young_adult_alone_agrees_the_plan(cast):
    turn(cast.child, 18)
    plan = start(cast)
    add_action(cast, plan)
    assert not plan.participants.filter(role=Participant.Role.GUARDIAN).exists()  # custody has ended
    with pytest.raises(ValidationError):
        _agree(cast, plan, _answers(plan, child=None))
    with pytest.raises(ValidationError):
        _agree(cast, plan, _answers(plan, child="disagrees"))
    _agree(cast, plan, _answers(plan))
    plan.refresh_from_db()
    assert plan.status == Status.AGREED


def test_from_the_consent_age_the_child_agrees_too(cast):
    rules(cast, child_consent_age=15, child_consent="with_guardians")
    turn(cast.child, 15)
    plan = start(cast)
    add_action(cast, plan)
    with pytest.raises(ValidationError):
        _agree(cast, plan, _answers(plan, child=None))
    with pytest.raises(ValidationError):
        _agree(cast, plan, _answers(plan, guardians=None))
    _agree(cast, plan, _answers(plan))


def test_a_younger_childs_answer_is_a_view_not_a_condition(cast):
    turn(cast.child, 9)
    plan = start(cast)
    add_action(cast, plan)
    _agree(cast, plan, _answers(plan, child=None))
    plan.refresh_from_db()
    assert plan.status == Status.AGREED


def _agreed_at_17(cast):
    """Agree the plan 20 days ago, when the child (18 in ten days' time then) was 17.

    Versions are append-only (no UPDATE in PostgreSQL), so the clock is set back while it is agreed.
    """
    turn(cast.child, 17, days=-30)
    plan = start(cast)
    add_action(cast, plan)
    then = timezone.now() - timedelta(days=20)
    with mock.patch("django.utils.timezone.now", return_value=then):
        agree_all(cast, plan)
    plan.refresh_from_db()
    return plan


def test_a_plan_the_guardians_agreed_is_flagged_for_renewal_at_18(client, cast):
    plan = _agreed_at_17(cast)
    url = reverse("plans:plan", args=[cast.child.pk, plan.pk])
    sign_in(client, cast.named_person)
    turn(cast.child, 18, days=1)
    assert RENEW not in client.get(url).content.decode()
    turn(cast.child, 18, days=-10)
    assert RENEW in client.get(url).content.decode()
    sign_in(client, child_login(cast.child))
    assert RENEW in client.get(reverse("family:plan", args=[cast.child.pk])).content.decode()


def test_the_task_reminds_the_lead_once_to_renew_the_plan(cast):
    plan = _agreed_at_17(cast)
    turn(cast.child, 18, days=-10)
    on = policy.today()
    assert renewals_make(on=on) == 1
    assert renewals_make(on=on + timedelta(days=1)) == 0
    reminder = Reminder.objects.get(plan=plan, kind=Reminder.Kind.RENEW_AT_MAJORITY)
    assert reminder.due_on == on - timedelta(days=10)  # the 18th birthday


def test_a_plan_agreed_with_the_young_adult_needs_no_renewal(cast):
    plan = _agreed_at_17(cast)
    turn(cast.child, 18, days=-10)
    services.plan_agree(plan=plan, user=cast.named_person, answers=_answers(plan), via=via(cast.named_person))
    assert renewals_make(on=policy.today()) == 0
