"""The demo's barnombudsteam meets monthly, with a mix of items, and shows the consent barrier."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from accounts.models import User
from meetings import identifying, selectors
from meetings.demo import TEAM
from meetings.models import AgendaItem, CaseItem
from sharing import policy
from teams.models import Team


def test_the_demo_team_meets_with_a_mix_of_items(db):
    call_command("demo_data", "--children", "60", "--seed", "1", "--force", stdout=StringIO())
    team = Team.objects.get(name=TEAM)
    today = timezone.localdate()
    past = team.meetings.filter(date__lt=today)
    assert past.exists() and all(meeting.approved_at for meeting in past)
    assert {meeting.date.weekday() for meeting in team.meetings.all()} == {1}  # Tuesdays
    assert all(meeting.date.day <= 7 for meeting in team.meetings.all())  # the first of the month
    kinds = set(AgendaItem.objects.filter(meeting__team=team).values_list("kind", flat=True))
    assert kinds == {"anonymous", "theme"} and CaseItem.objects.filter(meeting__team=team).count() == 1
    rektor = User.objects.get(username="rektor")
    for item in AgendaItem.objects.filter(meeting__team=team):
        assert identifying.problems(f"{item.title} {item.situation} {item.question}", user=rektor) == []
    case = CaseItem.objects.get()
    assert list(policy.team_case_items(rektor, CaseItem.objects.all(), team=team)) == [case]
    barrier = selectors.consent_barrier(team, start=today - timedelta(days=200), end=today + timedelta(days=1))
    assert (barrier.total.requests, barrier.total.given, barrier.total.declined) == (7, 2, 4)
