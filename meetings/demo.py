"""Demo data for team meetings: the demo's barnombudsteam meets on the first Tuesday of each month, 13–15.

As in Nora: past meetings with attendance by authority, anonymous consultations by age band, themes,
one case raised with the guardians' consent, advice, decisions and actions (one overdue), approved
minutes; and requests for consent to the team, most declined, with the reasons some guardians gave.
Written directly, as the other demo builders do; nothing identifying is written into anonymous items.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from demo import world
from meetings.models import AgendaItem, Attendance, CaseItem, ConsentReason, Meeting, MeetingSeries, Outcome
from meetings.services import series_dates
from people.models import Enrolment, Protection
from sharing.categories import Category
from sharing.models import Consent, ConsentCategory, ConsentEvent
from teams.models import Team

TEAM = world.TEAMS[0].name  # Barnombudsteam Centrum: school, BVC, social services and Första linjen
CONSULTATIONS = [
    (
        "Flicka som ofta är hungrig på förmiddagen",
        "3-6",
        "girl",
        "Barnet äter mycket på förskolan och frågar efter mat.",
        "När ska vi bli oroliga, och vem pratar med familjen?",
    ),
    (
        "Pojke med hög frånvaro på måndagar",
        "10-12",
        "boy",
        "Frånvaron har ökat sedan i våras, nästan alltid måndagar.",
        "Vilket stöd kan skolan och Första linjen ge tillsammans?",
    ),
    (
        "Syskon som inte kommer till BVC-besök",
        "0-1",
        "",
        "Familjen har uteblivit från två besök och svarar inte i telefon.",
        "Hur når vi familjen utan att skrämma bort dem?",
    ),
    (
        "Tonåring som mår dåligt efter en separation",
        "13-15",
        "",
        "Eleven säger att det är jobbigt hemma och sover dåligt.",
        "Passar Första linjen, eller behövs mer?",
    ),
]
THEMES = [
    ("Hur gör vi en orosanmälan tillsammans?", "training", "Socialtjänsten går igenom vad en anmälan ska innehålla."),
    (
        "Frånvaro syns inte för elevhälsan i tid",
        "system",
        "Skolans system visar frånvaro först efter en vecka: lyfts till förvaltningen.",
    ),
]
# Requests for consent to discuss a child in the team: days ago, answer, optional reason.
REQUESTS = [
    (100, "declined", "social_services"),
    (85, "given", ""),
    (70, "declined", "social_services"),
    (60, "declined", "too_many"),
    (45, "", ""),
    (20, "declined", ""),
    (10, "given", ""),
]


def _at(day: date, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


@transaction.atomic
def demo_meetings(*, today: date) -> int:
    """Build the demo team's meetings; return how many meetings were planned (0 without the demo team)."""
    team = Team.objects.filter(name=TEAM).first()
    if team is None:
        return 0
    members = list(team.members.select_related("user", "authority").order_by("-role", "pk"))
    chair = members[0]
    first = today - timedelta(days=world.TEAM_AGE_DAYS)
    series = MeetingSeries.objects.create(
        team=team,
        title="Månadsmöte",
        frequency=MeetingSeries.Frequency.MONTHLY,
        weekday=MeetingSeries.Weekday.TUESDAY,
        ordinal=MeetingSeries.Ordinal.FIRST,
        starts_at=time(13),
        ends_at=time(15),
        place="Familjecentralen, konferensrummet",
        video_link="https://video.example.se/barnombudsteam-centrum",
        first_date=first,
        created_by=chair.user,
    )
    meetings = [
        Meeting.objects.create(
            team=team,
            series=series,
            date=day,
            starts_at=series.starts_at,
            ends_at=series.ends_at,
            place=series.place,
            video_link=series.video_link,
            created_by=chair.user,
        )
        for day in series_dates(series, first, today + timedelta(days=366))
    ]
    past = [meeting for meeting in meetings if meeting.date < today]
    consents = _requests(team, chair, today)
    for number, meeting in enumerate(past):
        came = [member for index, member in enumerate(members) if (index + number) % 4 != 3]
        Attendance.objects.bulk_create(
            Attendance(meeting=meeting, user=m.user, authority=m.authority, recorded_by=chair.user) for m in came
        )
        title, band, gender, situation, question = CONSULTATIONS[number % len(CONSULTATIONS)]
        item = AgendaItem.objects.create(
            meeting=meeting,
            kind="anonymous",
            title=title,
            age_band=band,
            gender=gender,
            situation=situation,
            question=question,
            raised_by=members[number % len(members)].user,
        )
        Outcome.objects.create(
            meeting=meeting,
            item=item,
            kind="advice",
            text="Prata med familjen om familjecentralens öppna förskola.",
            created_by=chair.user,
        )
        owner = members[(number + 1) % len(members)]
        due = meeting.date + timedelta(days=21)
        Outcome.objects.create(
            meeting=meeting,
            item=item,
            kind="action",
            text="Ta fram kontaktvägar till Första linjen för föräldrar.",
            owner=owner.user,
            due_on=due,
            done_on=due - timedelta(days=3) if number else None,
            created_by=chair.user,
        )
        if number < len(THEMES):
            theme_title, kind, text = THEMES[number]
            AgendaItem.objects.create(
                meeting=meeting, kind="theme", title=theme_title, theme_kind=kind, situation=text, raised_by=chair.user
            )
        meeting.minutes = "Teamet gick igenom dagordningen. Nästa möte enligt kallelsen."
        meeting.approved_at, meeting.approved_by = _at(meeting.date, 16), chair.user
        meeting.save(update_fields=["minutes", "approved_at", "approved_by"])
    given = next((consent for consent in consents if consent.status == Consent.Status.GIVEN), None)
    coming = next((meeting for meeting in meetings if meeting.date >= today), None)
    if given is not None and coming is not None:
        CaseItem.objects.create(
            meeting=coming,
            child=given.child,
            consent=given,
            owner_authority=chair.authority,
            category=Category.EDUCATION,
            summary="Hög frånvaro sedan höstlovet; vårdnadshavarna vill ha stöd.",
            question="Vem i teamet kan hjälpa familjen med morgnarna?",
            raised_by=chair.user,
        )
    return len(meetings)


def _requests(team: Team, chair, today: date) -> list[Consent]:
    """Requests for consent to the team for pupils of the chair's school, answered as in `REQUESTS`."""
    pupils = (
        Enrolment.objects.filter(unit__authority=chair.authority, end__isnull=True, child__protection=Protection.NONE)
        .order_by("-child__identity_number")
        .values_list("child", flat=True)
        .distinct()
    )
    made = []
    for (days, answer, reason), child_id in zip(REQUESTS, pupils[: len(REQUESTS)], strict=False):
        asked = _at(today - timedelta(days=days))
        status = {"given": Consent.Status.GIVEN, "declined": Consent.Status.DECLINED}.get(
            answer, Consent.Status.REQUESTED
        )
        consent = Consent.objects.create(
            child_id=child_id,
            owner_authority=chair.authority,
            requested_by=chair.user,
            purpose="Ta upp barnet i barnombudsteamet och komma överens om vem som hjälper till.",
            valid_from=asked,
            valid_until=asked + timedelta(days=365),
            status=status,
            ended_at=asked + timedelta(days=3) if answer == "declined" else None,
        )
        Consent.objects.filter(pk=consent.pk).update(created_at=asked)
        consent.recipient_teams.set([team])
        ConsentCategory.objects.create(consent=consent, category=Category.EDUCATION)
        ConsentEvent.objects.create(consent=consent, kind=ConsentEvent.Kind.REQUESTED, at=asked, by=chair.user)
        if answer:
            ConsentEvent.objects.create(consent=consent, kind=answer, at=asked + timedelta(days=3), by=chair.user)
        if reason:
            ConsentReason.objects.create(consent=consent, reason=reason, recorded_by=chair.user)
        made.append(consent)
    return made
