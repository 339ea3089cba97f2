"""The five questions: answers kept, the two outcomes and where they lead, follow-ups and their reminder."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import override_settings
from django.urls import reverse

from audit.models import AuditEvent
from core import tasks
from testsupport.cast import sign_in
from wellbeing import flow
from wellbeing.models import FiveQuestions
from wellbeing.services import follow_ups_mark_due
from wellbeing.tasks import TASK_NAME
from wellbeing.tests.helpers import TODAY, write
from wellbeing.tests.plan_urls import WITH_PLANS, WITHOUT_PLANS

ANSWERS = {
    "in_the_way": "Hon sover dåligt och kommer sent.",
    "information": "Jag behöver veta hur det är hemma.",
    "i_can_do": "Prata med Alva och hennes vårdnadshavare.",
    "agency_can_do": "Elevhälsan kan träffa henne.",
    "suspects_harm": "no",
}


def url(child, entry) -> str:
    return reverse("wellbeing:five_questions", kwargs={"child_id": child.pk, "entry_id": entry.pk})


def test_it_keeps_the_answers_and_a_follow_up_when_handled_within_the_service(client, cast):
    concern = write(cast.teacher, cast.child)
    sign_in(client, cast.teacher)
    follow_up = TODAY + timedelta(days=14)
    response = client.post(
        url(cast.child, concern),
        {**ANSWERS, "outcome": "handled_here", "action": "Samtal med elevhälsan", "follow_up_on": follow_up},
    )
    five = FiveQuestions.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("wellbeing:entry", kwargs={"child_id": cast.child.pk, "entry_id": concern.pk})
    assert (five.entry, five.owner_authority, five.category, five.follow_up_on) == (
        concern,
        cast.education,
        "education",
        follow_up,
    )
    assert AuditEvent.objects.filter(action="create", record_type="FiveQuestions", record_id=str(five.pk)).exists()
    page = client.get(response.url).content.decode()
    assert "Hon sover dåligt" in page and "Samtal med elevhälsan" in page


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"outcome": "handled_here", "action": "", "follow_up_on": ""}, "Beskriv vad du eller din verksamhet"),
        ({"outcome": "handled_here", "action": "Samtal", "follow_up_on": ""}, "Välj ett datum för uppföljning"),
        (
            {"outcome": "handled_here", "action": "Samtal", "follow_up_on": (TODAY - timedelta(days=1)).isoformat()},
            "Välj ett datum för uppföljning",
        ),
        ({"outcome": "needs_others", "others_needed": ""}, "Skriv vilken hjälp som behövs"),
        ({"outcome": ""}, "Välj om oron hanteras"),
    ],
)
def test_it_refuses_an_incomplete_outcome_and_saves_nothing(client, cast, extra, message):
    concern = write(cast.teacher, cast.child)
    sign_in(client, cast.teacher)
    response = client.post(url(cast.child, concern), {**ANSWERS, **extra})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not FiveQuestions.objects.exists()


def test_it_is_asked_only_about_a_concern_and_only_by_someone_who_sees_it(client, cast):
    strength = write(cast.teacher, cast.child, kind="strength")
    concern = write(cast.teacher, cast.child)
    sign_in(client, cast.teacher)
    assert client.get(url(cast.child, strength)).status_code == 404
    for persona in ("outsider", "other_school_teacher", "expired"):
        sign_in(client, getattr(cast, persona))
        assert client.post(url(cast.child, concern), {**ANSWERS, "outcome": "needs_others"}).status_code == 404
    assert not FiveQuestions.objects.exists()


@pytest.mark.parametrize("with_plans", [True, False])
def test_needing_other_services_leads_to_starting_a_plan_or_says_what_to_do(client, cast, with_plans):
    concern = write(cast.teacher, cast.child)
    sign_in(client, cast.teacher)
    with override_settings(ROOT_URLCONF=WITH_PLANS if with_plans else WITHOUT_PLANS):
        response = client.post(
            url(cast.child, concern), {**ANSWERS, "others_needed": "BUP och socialtjänsten", "outcome": "needs_others"}
        )
        five = FiveQuestions.objects.get()
        step = flow.next_step(five)
    assert response.status_code == 302
    assert five.outcome == "needs_others" and five.follow_up_on is None
    if with_plans:
        assert response.url == f"/planer/{cast.child.pk}/starta/"
        assert not step.is_warning
    else:
        assert response.url.endswith(f"/kronologi/{concern.pk}/")
        assert step.is_warning and "kontakta barnets namngivna person" in step.message


def test_an_unknown_outcome_has_no_next_step(cast):
    concern = write(cast.teacher, cast.child)
    five = FiveQuestions(entry=concern, child=cast.child, outcome="request_for_support")
    with pytest.raises(ValueError, match="No next step"):
        flow.next_step(five)


def _answer(cast, follow_up_on):
    concern = write(cast.teacher, cast.child)
    return FiveQuestions.objects.create(
        entry=concern,
        child=cast.child,
        owner_authority=cast.education,
        category="education",
        author=cast.teacher,
        outcome="handled_here",
        action="Samtal med Alva",
        follow_up_on=follow_up_on,
        **ANSWERS,
    )


def test_the_reminder_task_marks_due_follow_ups_once(cast):
    due = _answer(cast, TODAY)
    later = _answer(cast, TODAY + timedelta(days=5))
    assert TASK_NAME in tasks.registered()
    [result] = tasks.run_all(TODAY, only=[TASK_NAME])
    assert result.error is None and result.summary.startswith("1 ")
    due.refresh_from_db()
    marked = due.follow_up_due_marked_at
    assert marked is not None
    assert follow_ups_mark_due(on=TODAY) == 0  # idempotent: a second run changes nothing
    due.refresh_from_db()
    assert due.follow_up_due_marked_at == marked
    later.refresh_from_db()
    assert later.follow_up_due_marked_at is None
    assert follow_ups_mark_due(on=TODAY + timedelta(days=5)) == 1


def test_my_follow_ups_lists_due_ones_to_their_author_and_marks_them_done(client, cast):
    due = _answer(cast, TODAY - timedelta(days=1))
    _answer(cast, TODAY + timedelta(days=10))
    sign_in(client, cast.named_person)
    assert "Samtal med Alva" not in client.get(reverse("wellbeing:follow_ups")).content.decode()
    assert client.post(reverse("wellbeing:follow_up_done", kwargs={"follow_up_id": due.pk})).status_code == 404
    sign_in(client, cast.teacher)
    body = client.get(reverse("wellbeing:follow_ups")).content.decode()
    assert body.count("<h1") == 1
    assert "Dags att följa upp" in body and "Andersson, Alva" in body  # as every list names a child
    response = client.post(
        reverse("wellbeing:follow_up_done", kwargs={"follow_up_id": due.pk}), {"note": "Det går bättre."}
    )
    assert response.status_code == 302
    due.refresh_from_db()
    assert due.followed_up_at is not None and due.follow_up_note == "Det går bättre."
    assert AuditEvent.objects.filter(action="update", record_type="FiveQuestions", record_id=str(due.pk)).exists()


def test_follow_ups_disappear_when_the_relation_ends(client, cast):
    _answer(cast, TODAY)
    cast.child.enrolments.filter(unit=cast.school).update(end=TODAY - timedelta(days=1))
    sign_in(client, cast.teacher)
    assert "Alva" not in client.get(reverse("wellbeing:follow_ups")).content.decode()
