"""The meeting pages: shared with the team's current members only; series, feeds, outcomes, minutes and the PDF."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from audit.models import AuditEvent
from meetings import selectors, services
from meetings.models import Addendum, AgendaItem, CalendarFeed, Meeting, MeetingSeries, Outcome
from meetings.tests.helpers import team_consent, via
from sharing import policy
from sharing.models import Consent
from testsupport.cast import sign_in


def _routes(team, meeting, outcome):
    return [
        ("get", reverse("meetings:team", args=[team.pk])),
        ("get", reverse("meetings:series_new", args=[team.pk])),
        ("get", reverse("meetings:meeting_new", args=[team.pk])),
        ("get", reverse("meetings:figures", args=[team.pk])),
        ("post", reverse("meetings:feed_new", args=[team.pk])),
        ("post", reverse("meetings:feed_revoke", args=[team.pk])),
        ("get", reverse("meetings:detail", args=[meeting.pk])),
        ("post", reverse("meetings:attendance", args=[meeting.pk])),
        ("get", reverse("meetings:item_new", args=[meeting.pk, "anonym"])),
        ("get", reverse("meetings:item_new", args=[meeting.pk, "tema"])),
        ("get", reverse("meetings:case_new", args=[meeting.pk])),
        ("post", reverse("meetings:outcome_new", args=[meeting.pk])),
        ("get", reverse("meetings:minutes", args=[meeting.pk])),
        ("get", reverse("meetings:minutes_pdf", args=[meeting.pk])),
        ("post", reverse("meetings:action_done", args=[outcome.pk])),
    ]


@pytest.fixture
def outcome(cast, meeting):
    return services.outcome_add(
        meeting=meeting,
        kind="action",
        text="Boka samtal med elevhälsan.",
        owner=cast.bup_clinician,
        due_on=policy.today() + timedelta(days=7),
        via=via(cast.named_person),
    )


@pytest.mark.parametrize(
    "who",
    [
        "teacher",  # the same authority as the chair, the same municipality, not a member
        "outsider",  # another authority (the police), not a member
        "expired",  # social services, like a member, but not in the team
        "manager",  # keeps the municipality's teams, but does not take part
        "guardian_user",  # a family login
        "left",  # a member whose membership ended
    ],
)
def test_who_is_not_a_current_member_gets_404_everywhere(cast, team, meeting, outcome, case, client, who):
    if who == "left":
        cast.bup_member.left_on = policy.today()
        cast.bup_member.save()
        user = cast.bup_clinician
    else:
        user = getattr(cast, who)
    sign_in(client, user)
    for method, url in _routes(team, meeting, outcome):
        assert getattr(client, method)(url).status_code == 404, url
    assert not AuditEvent.objects.filter(record_type="CaseItem", action="read").exists()


def test_a_member_of_another_authority_sees_the_pages(cast, team, meeting, outcome, client):
    sign_in(client, cast.social_worker)
    for method, url in _routes(team, meeting, outcome):
        if method == "get" and "serie" not in url:
            assert client.get(url).status_code == 200, url
    assert client.get(reverse("meetings:series_new", args=[team.pk])).status_code == 403  # the chair plans series


def test_the_chair_plans_a_monthly_series_a_year_ahead(cast, team, client):
    sign_in(client, cast.named_person)
    data = {
        "title": "Månadsmöte",
        "frequency": "monthly",
        "ordinal": "1",
        "weekday": "1",
        "starts_at": "13:00",
        "ends_at": "15:00",
        "place": "Kommunhuset",
        "first_date": "2030-01-01",
    }
    assert client.post(reverse("meetings:series_new", args=[team.pk]), data).status_code == 302
    days = list(Meeting.objects.filter(series__isnull=False).values_list("date", flat=True))
    assert days[:3] == [date(2030, 1, 1), date(2030, 2, 5), date(2030, 3, 5)]  # the first Tuesday of each month
    assert len(days) == 12 and all(day.weekday() == 1 and day.day <= 7 for day in days)
    bad = client.post(reverse("meetings:series_new", args=[team.pk]), {**data, "ends_at": "12:00"})
    assert bad.status_code == 400 and "sluta efter" in bad.content.decode()


def test_series_dates_of_the_last_weekday_and_weekly():
    series = MeetingSeries(frequency="monthly", weekday=3, ordinal=-1, first_date=date(2030, 1, 1))
    assert services.series_dates(series, date(2030, 1, 1), date(2030, 3, 1)) == [date(2030, 1, 31), date(2030, 2, 28)]
    series = MeetingSeries(frequency="weekly", weekday=0, first_date=date(2030, 1, 1))
    assert services.series_dates(series, date(2030, 1, 1), date(2030, 1, 15)) == [date(2030, 1, 7), date(2030, 1, 14)]


def test_the_calendar_feed_works_for_a_current_member_until_revoked(cast, team, meeting, client):
    sign_in(client, cast.bup_clinician)
    client.post(reverse("meetings:feed_new", args=[team.pk]))
    feed = CalendarFeed.objects.get(user=cast.bup_clinician)
    client.logout()
    url = reverse("meetings:feed", args=[feed.token])
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    events = [part for part in Calendar.from_ical(response.content).walk("VEVENT")]
    assert [(str(event["location"]), event["dtstart"].dt.date()) for event in events] == [
        ("Kommunhuset, rum 2", meeting.date)
    ]
    assert client.get(reverse("meetings:feed", args=["gissat"])).status_code == 404
    cast.bup_member.left_on = policy.today()
    cast.bup_member.save()
    assert client.get(url).status_code == 404  # a member who left: the address stops
    cast.bup_member.left_on = None
    cast.bup_member.save()
    sign_in(client, cast.bup_clinician)
    client.post(reverse("meetings:feed_revoke", args=[team.pk]))
    client.logout()
    assert client.get(url).status_code == 404


def test_attendance_by_authority(cast, team, meeting, client):
    sign_in(client, cast.named_person)
    url = reverse("meetings:attendance", args=[meeting.pk])
    client.post(url, {"present": [cast.named_person.pk, cast.social_worker.pk]})
    assert sorted(meeting.attendance.values_list("authority__name", flat=True)) == [
        "Barn- och utbildningsnämnden",
        "Socialnämnden",
    ]
    client.post(url, {"present": [cast.teacher.pk]})  # not a member: refused, nothing changes
    assert meeting.attendance.count() == 2


def test_an_action_needs_an_owner_in_the_team_and_a_due_date(cast, meeting, client):
    sign_in(client, cast.named_person)
    url = reverse("meetings:outcome_new", args=[meeting.pk])
    response = client.post(url, {"kind": "action", "text": "Ring skolsköterskan"})
    assert response.status_code == 400 and "ansvarig" in response.content.decode()
    response = client.post(url, {"kind": "action", "text": "x", "owner": cast.teacher.pk, "due_on": "2030-01-01"})
    assert response.status_code == 400
    assert not Outcome.objects.exists()


def test_open_actions_follow_to_the_next_meeting_and_overdue_ones_to_the_owner(cast, team, meeting, outcome, client):
    later = Meeting.objects.create(
        team=team, date=meeting.date + timedelta(days=28), starts_at=time(13), ends_at=time(15), created_by=cast.manager
    )
    assert list(selectors.carried_actions(later)) == [outcome]
    assert list(selectors.overdue_actions(cast.bup_clinician, on=outcome.due_on + timedelta(days=1))) == [outcome]
    assert list(selectors.overdue_actions(cast.bup_clinician, on=outcome.due_on)) == []
    sign_in(client, cast.bup_clinician)
    assert "Boka samtal med elevhälsan." in client.get(reverse("meetings:detail", args=[later.pk])).content.decode()
    client.post(reverse("meetings:action_done", args=[outcome.pk]))
    assert list(selectors.carried_actions(later)) == []


def test_only_the_owner_or_the_chair_closes_an_action(cast, outcome, client):
    sign_in(client, cast.social_worker)
    assert client.post(reverse("meetings:action_done", args=[outcome.pk])).status_code == 403
    outcome.refresh_from_db()
    assert outcome.done_on is None


def test_minutes_are_approved_by_the_chair_then_immutable_with_addenda(cast, meeting, client):
    url = reverse("meetings:minutes", args=[meeting.pk])
    sign_in(client, cast.bup_clinician)
    client.post(url, {"gora": "spara", "protokoll-minutes": "Vi gick igenom rutinen för orosanmälan."})
    assert client.post(url, {"gora": "justera"}).status_code == 400  # not the chair
    sign_in(client, cast.named_person)
    assert client.post(url, {"gora": "justera"}).status_code == 302
    meeting.refresh_from_db()
    assert meeting.approved_by == cast.named_person
    response = client.post(url, {"gora": "spara", "protokoll-minutes": "Ändrat i efterhand"})
    assert response.status_code == 400 and "justerat" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.minutes == "Vi gick igenom rutinen för orosanmälan."
    client.post(url, {"gora": "tillagg", "tillagg-text": "Rättelse: mötet slutade 14.30."})
    assert Addendum.objects.get().text == "Rättelse: mötet slutade 14.30."
    item = reverse("meetings:item_new", args=[meeting.pk, "tema"])
    assert client.post(item, {"title": "x", "theme_kind": "training", "situation": "y"}).status_code == 400


def test_minutes_show_a_case_only_when_every_attendee_may_read_it(cast, team, meeting, case, client):
    services.item_add(
        meeting=meeting,
        kind="theme",
        title="Rutin för orosanmälan",
        theme_kind="knowledge",
        situation="Hur gör vi?",
        question="",
        via=via(cast.named_person),
    )
    services.attendance_set(meeting=meeting, users=[cast.named_person, cast.bup_clinician], via=via(cast.named_person))
    sign_in(client, cast.bup_clinician)
    url = reverse("meetings:minutes", args=[meeting.pk])
    body = client.get(url).content.decode()
    assert "Alva Andersson" in body and "Rutin för orosanmälan" in body
    # The consent ends: nobody may read the case any longer, so the minutes no longer show it.
    Consent.objects.filter(pk=cast.consent.pk).update(valid_until=timezone.now())
    body = client.get(url).content.decode()
    assert "Alva" not in body and "Rutin för orosanmälan" in body
    pdf = client.get(reverse("meetings:minutes_pdf", args=[meeting.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_a_case_in_the_minutes_is_withheld_while_an_attendee_may_not_read_it(cast, team, meeting, case, client):
    """The social worker attends; the chair's consent covers education, which every member may read: shown.

    With an attendee whose employment ended (still on the attendance list), it is withheld for all.
    """
    services.attendance_set(meeting=meeting, users=[cast.named_person, cast.social_worker], via=via(cast.named_person))
    sign_in(client, cast.named_person)
    url = reverse("meetings:minutes", args=[meeting.pk])
    assert "Alva Andersson" in client.get(url).content.decode()
    cast.social_worker.memberships.update(valid_to=policy.today() - timedelta(days=1))
    assert "Alva" not in client.get(url).content.decode()


def test_theme_items_take_the_theme_fields_only(cast, meeting):
    item = services.item_add(
        meeting=meeting,
        kind="theme",
        title="Systemfel i skolans frånvarorapportering",
        theme_kind="system",
        situation="Frånvaron syns inte för elevhälsan.",
        question="",
        age_band="10-12",
        via=via(cast.named_person),
    )
    assert (item.kind, item.theme_kind, item.age_band) == (AgendaItem.Kind.THEME, "system", "")


def test_team_statistics(cast, team, meeting, outcome):
    services.attendance_set(meeting=meeting, users=[cast.named_person, cast.bup_clinician], via=via(cast.named_person))
    services.item_add(
        meeting=meeting,
        kind="anonymous",
        title="Pojke som är orolig",
        age_band="3-6",
        situation="Orolig på förskolan.",
        question="Vad kan vi göra?",
        via=via(cast.named_person),
    )
    services.action_done(outcome=outcome, via=via(cast.bup_clinician))
    team_consent(cast, team)
    stats = selectors.team_stats(team, start=meeting.date, end=meeting.date + timedelta(days=1))
    assert stats.meetings_held == 1
    assert stats.attendance == [("Barn- och utbildningsnämnden", 1), ("Region Test", 1)]
    assert dict(stats.items) == {"Anonym konsultation": 1, "Tema": 0}
    assert stats.age_bands == [("3–6 år", 1)]
    assert (stats.actions, stats.actions_on_time) == (1, 1)


def test_my_team_actions_are_the_owners_open_ones_in_current_teams(cast, team, meeting, outcome, client):
    url = reverse("meetings:my_actions")
    sign_in(client, cast.bup_clinician)
    body = client.get(url).content.decode()
    assert "Boka samtal med elevhälsan." in body and "Mina teamåtgärder" in body
    Outcome.objects.filter(pk=outcome.pk).update(due_on=policy.today() - timedelta(days=1))
    assert "försenad" in client.get(url).content.decode()
    sign_in(client, cast.social_worker)  # a member, but not the owner
    assert "Boka samtal" not in client.get(url).content.decode()
    cast.bup_member.left_on = policy.today()
    cast.bup_member.save()
    sign_in(client, cast.bup_clinician)  # left the team: its actions no longer listed
    assert "Boka samtal" not in client.get(url).content.decode()
    sign_in(client, cast.guardian_user)
    assert client.get(url).status_code == 404


def test_the_scheduled_task_keeps_a_series_planned_a_year_ahead(cast, team):
    from meetings.tasks import meeting_series_plan

    start = policy.today()
    series = services.series_create(
        team=team,
        title="Varje vecka",
        frequency="weekly",
        weekday=start.weekday(),
        ordinal=None,
        starts_at=time(9),
        ends_at=time(10),
        place="",
        video_link="",
        first_date=start,
        via=via(cast.named_person),
    )
    planned = series.meetings.count()
    assert planned == 53  # 366 days ahead, the first day included
    meeting_series_plan(start)
    assert series.meetings.count() == planned  # nothing twice
    meeting_series_plan(start + timedelta(days=14))
    assert series.meetings.count() == planned + 2
    row = AuditEvent.objects.filter(surface="task", record_type="Meeting").first()
    assert (row.username, row.child_id) == ("run_due_tasks", None)


def test_overdue_team_actions_appear_next_to_the_plan_reminders_of_their_owner_only(cast, team, outcome, client):
    from teams import services as team_services

    Outcome.objects.filter(pk=outcome.pk).update(due_on=policy.today() - timedelta(days=1))
    sign_in(client, cast.bup_clinician)
    body = client.get(reverse("plans:reminders")).content.decode()
    assert "Försenade åtgärder från teammöten" in body and "Boka samtal med elevhälsan." in body
    for other in (cast.social_worker, cast.outsider, cast.expired):  # a fellow member, another authority, expired
        sign_in(client, other)
        assert "Boka samtal med elevhälsan." not in client.get(reverse("plans:reminders")).content.decode()
    team_services.team_member_end(
        member=cast.bup_member,
        via=team_services.Via(
            user=cast.manager, actor=policy.actor_for(cast.manager, session_key=None), surface="page", target="test"
        ),
    )
    sign_in(client, cast.bup_clinician)  # left the team: its actions are no longer theirs to see
    assert "Boka samtal med elevhälsan." not in client.get(reverse("plans:reminders")).content.decode()
