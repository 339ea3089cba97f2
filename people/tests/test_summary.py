"""The summary header of the child overview and the plan page: what it says, masked by the one display decision."""

from __future__ import annotations

from datetime import date, timedelta

from django.urls import reverse

from people.summary import age_text
from plans.models import ChildPlan
from plans.tests.setup import start
from sharing import policy
from testsupport.cast import sign_in

OVERDUE = "Uppföljningen av planen är försenad"


def test_an_overdue_review_is_warned_of_on_the_overview_and_the_plan_page(client, cast):
    plan = start(cast)
    ChildPlan.objects.filter(pk=plan.pk).update(next_review_on=policy.today() - timedelta(days=21))
    sign_in(client, cast.named_person)
    overview = client.get(reverse("people:child", args=[cast.child.pk])).content.decode()
    assert OVERDUE in overview and "Hanna Rektorsson" in overview  # named person and lead, the viewer's own unit
    overview_url = reverse("people:child", args=[cast.child.pk])
    assert f'<a href="{overview_url}" aria-current="page">' in overview  # the sub-menu marks the page
    page = client.get(reverse("plans:plan", args=[cast.child.pk, plan.pk])).content.decode()
    assert OVERDUE in page and "<h1>Barnets plan för Alva Andersson</h1>" in page
    ChildPlan.objects.filter(pk=plan.pk).update(next_review_on=policy.today() + timedelta(days=7))
    assert OVERDUE not in client.get(reverse("plans:plan", args=[cast.child.pk, plan.pk])).content.decode()


def test_a_protected_child_has_the_marker_and_its_named_person_is_masked(client, cast):
    sign_in(client, cast.teacher)  # a relation through the school, no recorded secrecy assessment
    body = client.get(reverse("people:child", args=[cast.protected_child.pk])).content.decode()
    header = body.split('class="child-summary"', 1)[1].split("</header>", 1)[0]
    assert "Skyddade personuppgifter" in header
    assert "Hanna Rektorsson" in header  # her own colleague at her own school: known to her already
    for outsider in (cast.outsider, cast.expired):  # another authority; an assignment that has run out
        sign_in(client, outsider)
        assert client.get(reverse("people:child", args=[cast.protected_child.pk])).status_code == 404


def test_the_age_is_said_in_years_or_months():
    today = date(2026, 12, 3)

    class Born:
        def __init__(self, born):
            self.birth_date = born

    assert str(age_text(Born(date(2017, 3, 14)), today)) == "9 år"
    assert str(age_text(Born(date(2025, 12, 4)), today)) == "11 månader"
    assert str(age_text(Born(date(2027, 1, 4)), today)) == "Väntat barn"
