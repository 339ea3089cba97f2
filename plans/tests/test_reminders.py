"""Reminders of due reviews and overdue actions: made by `plan_reminders`, idempotent, shown to lead and owners."""

from __future__ import annotations

from datetime import timedelta

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from core import tasks
from plans.models import ChildPlan, Reminder
from plans.selectors import reminders_for
from plans.services import reminders_make
from plans.tests.setup import add_action, bup_relation, plan_consent, start
from sharing import policy
from sharing.models import Consent
from testsupport.cast import sign_in


def test_it_makes_each_reminder_once(cast):
    plan = start(cast)
    action = add_action(cast, plan, days=2)
    today = policy.today()
    ChildPlan.objects.filter(pk=plan.pk).update(next_review_on=today)
    assert reminders_make(on=today) == (1, 0)
    later = today + timedelta(days=5)
    assert reminders_make(on=later) == (0, 1)  # the review reminder exists already; the action is now overdue
    assert reminders_make(on=later) == (0, 0)
    assert Reminder.objects.filter(action=action, due_on=action.end).count() == 1


def test_the_task_is_registered_and_runs(cast):
    assert "plan_reminders" in tasks.registered()
    call_command("run_due_tasks", "--only", "plan_reminders")


def test_my_reminders_lists_them_for_the_lead_only(client, cast):
    plan = start(cast)
    today = policy.today()
    ChildPlan.objects.filter(pk=plan.pk).update(next_review_on=today)
    reminders_make(on=today)
    sign_in(client, cast.named_person)
    page = client.get(reverse("plans:reminders"))
    body = page.content.decode()
    assert page.status_code == 200 and body.count("<h1") == 1
    assert "Alva Andersson" in body and "Uppföljning ska göras" in body
    sign_in(client, cast.outsider)
    assert "Alva" not in client.get(reverse("plans:reminders")).content.decode()
    # Once the review date moves on, the reminder lapses.
    ChildPlan.objects.filter(pk=plan.pk).update(next_review_on=today + timedelta(weeks=12))
    sign_in(client, cast.named_person)
    assert "Du har inga påminnelser" in client.get(reverse("plans:reminders")).content.decode()


def test_an_action_owner_of_another_authority_is_reminded_only_while_a_consent_opens_the_plan(client, cast):
    # The school's plan; the BUP clinician (the region) owns an overdue action and reads the plan under a consent.
    bup_relation(cast)
    consent = plan_consent(cast)
    plan = start(cast)
    add_action(cast, plan, authority=cast.region, person=cast.bup_clinician, days=1)
    reminders_make(on=policy.today() + timedelta(days=3))
    sign_in(client, cast.bup_clinician)
    assert [row.kind for row in reminders_for(cast.bup_clinician)] == [Reminder.Kind.ACTION_OVERDUE]
    assert "Alva Andersson" in client.get(reverse("plans:reminders")).content.decode()

    Consent.objects.filter(pk=consent.pk).update(valid_until=timezone.now() - timedelta(seconds=1))

    assert not reminders_for(cast.bup_clinician).exists()  # the plan is closed to her, and so is its reminder
    body = client.get(reverse("plans:reminders")).content.decode()
    assert "Alva" not in body and "Du har inga påminnelser" in body
    assert reminders_for(cast.named_person).count() == 1  # the lead still follows the overdue action in her plan
