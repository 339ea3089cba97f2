"""The team's meetings as an iCalendar feed: times, places and video links, never an agenda."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone
from icalendar import Calendar, Event

from meetings.models import CalendarFeed
from teams.models import Team

PAST_DAYS = 90  # the feed keeps recent meetings too, so a calendar does not lose them at once


def live_feed(team: Team, user) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(team=team, user=user, revoked_at__isnull=True).first()


def render(team: Team, *, host: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Samplan//Teammöten//SV")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", team.name)
    since = timezone.localdate() - timedelta(days=PAST_DAYS)
    for meeting in team.meetings.filter(date__gte=since):
        event = Event()
        event.add("uid", f"meeting-{meeting.pk}@{host}")
        event.add("summary", team.name)
        event.add("dtstart", timezone.make_aware(datetime.combine(meeting.date, meeting.starts_at)))
        event.add("dtend", timezone.make_aware(datetime.combine(meeting.date, meeting.ends_at)))
        event.add("dtstamp", meeting.created_at)
        if meeting.place:
            event.add("location", meeting.place)
        if meeting.video_link:
            event.add("url", meeting.video_link)
        calendar.add_component(event)
    return calendar.to_ical()
