"""My work today: who is counted for what, the counts through the policy, and a fixed number of queries."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from core import workspace
from plans import services
from plans.models import Action, ChildPlan
from plans.tests.setup import via
from sharing import policy
from sharing.models import AccessAssignment, Consent, ConsentCategory, ConsentParty
from testsupport.cast import enrol, make_child, sign_in

HOME = reverse("core:home")


def _plan(cast, child, *, review_days: int) -> ChildPlan:
    plan = services.plan_start(
        child=child,
        user=cast.named_person,
        kind="single_agency",
        reasons="Ofta borta från skolan.",
        via=via(cast.named_person),
    )
    ChildPlan.objects.filter(pk=plan.pk).update(next_review_on=policy.today() + timedelta(days=review_days))
    return plan


def _counts(user) -> dict[str, int]:
    return {task.key: task.count for task in workspace.tasks_for(user)}


def _consent(cast, *, by, owner, days: float, child=None) -> Consent:
    now = timezone.now()
    return Consent.objects.create(
        child=child or cast.child,
        owner_authority=owner,
        requested_by=by,
        purpose="Samordnat stöd",
        valid_from=now - timedelta(days=30),
        valid_until=now + timedelta(days=days),
        status=Consent.Status.GIVEN,
    )


def test_an_overdue_review_waits_for_the_plan_lead_and_links_to_its_list(client, cast):
    plan = _plan(cast, cast.child, review_days=-21)
    assert _counts(cast.named_person) == {"reviews-overdue": 1}
    sign_in(client, cast.named_person)
    body = client.get(HOME).content.decode()
    url = reverse("core:tasks", args=["reviews-overdue"])
    assert f'href="{url}"' in body and "Försenat" in body
    listed = client.get(url).content.decode()
    assert reverse("plans:plan", args=[cast.child.pk, plan.pk]) in listed
    assert "Alva Andersson" in listed
    assert AuditEvent.objects.filter(target="core:tasks", child_id=cast.child.pk, action="read").exists()


def test_tasks_are_ordered_oldest_first(cast):
    _plan(cast, cast.child, review_days=-3)
    _consent(cast, by=cast.named_person, owner=cast.education, days=-10)  # expired ten days ago
    assert [task.key for task in workspace.tasks_for(cast.named_person)] == ["consents-expired", "reviews-overdue"]


def test_other_authorities_and_other_staff_count_none_of_ours(cast):
    _plan(cast, cast.child, review_days=-21)
    _consent(cast, by=cast.named_person, owner=cast.education, days=5)
    assert _counts(cast.named_person) == {"reviews-overdue": 1, "consents-expiring": 1}
    for user in (cast.outsider, cast.bvc_nurse, cast.social_worker, cast.teacher, cast.other_school_teacher):
        assert _counts(user) == {}, user.username


def test_a_user_whose_access_expired_is_not_counted(cast):
    # cast.expired was assigned to the child until yesterday; her consent to renew is not her work any more.
    _consent(cast, by=cast.expired, owner=cast.social, days=5)
    assert _counts(cast.expired) == {}
    AccessAssignment.objects.filter(user=cast.expired).update(valid_to=policy.today() + timedelta(days=10))
    assert _counts(cast.expired) == {"consents-expiring": 1}


def test_a_consent_already_being_extended_is_not_a_task(cast):
    old = _consent(cast, by=cast.named_person, owner=cast.education, days=5)
    assert _counts(cast.named_person) == {"consents-expiring": 1}
    renewal = _consent(cast, by=cast.named_person, owner=cast.education, days=365)
    Consent.objects.filter(pk=renewal.pk).update(replaces=old, status=Consent.Status.REQUESTED)
    assert _counts(cast.named_person) == {}


def test_a_protected_child_is_listed_with_the_marker(client, cast):
    plan = services.plan_start(
        child=cast.protected_child, user=cast.teacher, kind="single_agency", reasons="Oro.", via=via(cast.teacher)
    )
    ChildPlan.objects.filter(pk=plan.pk).update(next_review_on=policy.today() - timedelta(days=2))
    sign_in(client, cast.teacher)  # a relation through the school, but no need to know the protected identity
    body = client.get(reverse("core:tasks", args=["reviews-overdue"])).content.decode()
    assert reverse("plans:plan", args=[cast.protected_child.pk, plan.pk]) in body
    assert "Vidar" not in body


def test_the_task_list_refuses_unknown_kinds_and_kinds_with_their_own_page(client, cast):
    sign_in(client, cast.named_person)
    assert client.get(reverse("core:tasks", args=["nothing"])).status_code == 404
    assert client.get(reverse("core:tasks", args=["handovers"])).status_code == 404
    sign_in(client, cast.administrator)  # no role that works on plans
    assert client.get(reverse("core:tasks", args=["reviews-overdue"])).status_code == 404


def test_anonymous_visitors_get_no_task_list(client, cast):
    response = client.get(reverse("core:tasks", args=["reviews-overdue"]))
    assert response.status_code == 302


def test_the_number_of_queries_is_fixed_however_many_tasks(cast, django_assert_num_queries):
    _plan(cast, cast.child, review_days=-21)
    mine = policy.current_memberships(cast.named_person)
    with CaptureQueriesContext(connection) as one:
        assert sum(task.count for task in workspace.tasks_for(cast.named_person, mine=mine)) == 1
    today = date.today()
    for serial in range(3):
        born = date(today.year - 8, 1, 10 + serial)
        kid = make_child(cast.municipality, born=born, given="Barn", family=f"N{serial}", serial=990 + serial)
        enrol(kid, cast.school, "school", today - timedelta(days=30))
        _plan(cast, kid, review_days=-5 - serial)
        _consent(cast, by=cast.named_person, owner=cast.education, days=3, child=kid)
        _consent(cast, by=cast.named_person, owner=cast.education, days=-3, child=kid)
    with django_assert_num_queries(len(one.captured_queries)):
        tasks = workspace.tasks_for(cast.named_person, mine=mine)
    assert {task.key: task.count for task in tasks} == {
        "reviews-overdue": 4,
        "consents-expiring": 3,
        "consents-expired": 3,
        "without": 3,  # the new children have no named person yet: the head teacher oversees that too
    }
    t = workspace.today_for(cast.named_person, mine=mine)
    # The stage rules that say which children without a named person are in service
    # (namedperson.selectors.in_service), then one statement: an aggregate per kind the head teacher's roles
    # give (reviews due and overdue together, consents ending and ended together) and the next team meeting.
    assert len(workspace.kinds_for(t)) == 10
    assert len(one.captured_queries) == workspace.count_queries(t) == 2


def test_a_guardian_sees_what_waits_for_her_answer(client, cast):
    consent = Consent.objects.create(
        child=cast.child,
        owner_authority=cast.education,
        requested_by=cast.named_person,
        purpose="Samordnat stöd",
        valid_from=timezone.now(),
        valid_until=timezone.now() + timedelta(days=200),
    )
    ConsentParty.objects.create(consent=consent, guardian=cast.guardian)
    sign_in(client, cast.guardian_user)
    body = client.get(reverse("family:home")).content.decode()
    assert "1 fråga om samtycke väntar på ditt svar" in body
    assert reverse("family:consents", args=[cast.child.pk]) in body
    sign_in(client, cast.noncustodial_user)  # no custody: nothing waits for him, and no child is shown
    assert "väntar på ditt svar" not in client.get(reverse("family:home")).content.decode()


@pytest.mark.parametrize("role", ["teacher", "analyst", "administrator"])
def test_a_user_with_nothing_waiting_is_told_so(client, cast, role):
    sign_in(client, getattr(cast, role))
    assert "Inget väntar på dig i dag." in client.get(HOME).content.decode()


# --- The menu in sections ---


def test_the_menu_is_grouped_in_sections_with_the_current_one_marked(client, cast):
    sign_in(client, cast.named_person)
    body = client.get(reverse("namedperson:handovers")).content.decode()
    assert 'id="nav-mina-uppgifter" aria-current="true"' in body
    assert f'<a href="{reverse("namedperson:handovers")}" aria-current="page">' in body
    assert "js/navigation.js" in body and "data-nav-toggle" in body
    for key in ("barn", "samverkan"):
        assert f'id="nav-{key}">' in body  # offered, not current
    assert 'id="nav-administration"' not in body  # no role that administers
    # A page outside the menu belongs to its app's section: a child's page is under "Barn".
    body = client.get(reverse("people:child", args=[cast.child.pk])).content.decode()
    assert 'id="nav-barn" aria-current="true"' in body


def test_an_administrator_has_the_administration_section(client, cast):
    sign_in(client, cast.administrator)
    body = client.get(HOME).content.decode()
    assert 'id="nav-administration">' in body  # offered, and not the current section on the start page


def test_the_next_meeting_and_overdue_team_actions_are_counted_in_the_same_statement(cast):
    from meetings.models import AgendaItem, Meeting, Outcome
    from meetings.tests.helpers import meeting_world

    world = meeting_world(cast)  # a meeting today with one case; an action owned by the named person
    AgendaItem.objects.create(
        meeting_id=world["meeting_id"], kind=AgendaItem.Kind.THEME, title="Frånvaro i åk 7", raised_by=cast.named_person
    )
    Outcome.objects.filter(pk=world["outcome_id"]).update(due_on=policy.today() - timedelta(days=3))
    mine = policy.current_memberships(cast.named_person)
    with CaptureQueriesContext(connection) as queries:
        tasks = {task.key: task for task in workspace.tasks_for(cast.named_person, mine=mine)}
    assert len(queries.captured_queries) == 2  # the stage rules, then every count and the meeting
    agenda = tasks["agenda"]
    assert (agenda.count, agenda.oldest) == (2, policy.today())  # one agenda item and one case
    assert agenda.url == reverse("meetings:detail", args=[world["meeting_id"]])
    assert str(agenda.label) == f"Punkter till nästa möte i {Meeting.objects.get(pk=world['meeting_id']).team.name}"
    assert (tasks["team-actions"].count, tasks["team-actions"].oldest) == (1, policy.today() - timedelta(days=3))
    # Someone outside the team has neither.
    assert {"agenda", "team-actions"}.isdisjoint(_counts(cast.bup_clinician))


def test_an_overdue_action_in_another_authoritys_plan_counts_only_while_the_consent_opens_the_plan(client, cast):
    # Social services' plan for Alva; the teacher owns an action in it and reads the plan under a consent.
    plan = ChildPlan.objects.create(
        child=cast.child,
        owner_authority=cast.social,
        kind="single_agency",
        status="active",
        reasons="Stöd i hemmet",
        created_by=cast.social_worker,
    )
    Action.objects.create(
        plan=plan,
        owner_authority=cast.education,
        owner_person=cast.teacher,
        description="Samtal varje vecka",
        start=policy.today() - timedelta(days=40),
        end=policy.today() - timedelta(days=10),
        expected_outcome="Alva kommer till skolan",
    )
    consent = _consent(cast, by=cast.social_worker, owner=cast.social, days=30)
    consent.recipients.set([cast.education])
    ConsentCategory.objects.create(consent=consent, category="plan")
    url = reverse("core:tasks", args=["actions-overdue"])
    sign_in(client, cast.teacher)
    assert _counts(cast.teacher) == {"actions-overdue": 1}
    assert "Alva Andersson" in client.get(url).content.decode()

    Consent.objects.filter(pk=consent.pk).update(valid_until=timezone.now() - timedelta(seconds=1))

    assert _counts(cast.teacher) == {}  # the plan is closed to the teacher: so is its action, at once
    assert "Alva Andersson" not in client.get(url).content.decode()
    assert _counts(cast.bvc_nurse) == _counts(cast.outsider) == {}  # other authorities never counted it
