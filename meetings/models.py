"""What a multi-agency team does when it meets: series, meetings, attendance, agenda items, outcomes and minutes.

Anonymous consultations and themes (`AgendaItem`) hold no link to any child: no foreign key and no
identifying field, so nothing can later tie them to one. An identified case (`CaseItem`) points at the
child and at the consent that lets the team discuss it; it is child data and is read only through
`sharing.policy.team_case_items`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from organisations.models import Authority
from people.models import Child
from sharing.categories import Category
from sharing.models import Consent
from teams.models import Team


class MeetingSeries(models.Model):
    """A team's recurring schedule: every week, or a given weekday of every month (e.g. the first Tuesday, 13–15)."""

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", _("Varje vecka")
        MONTHLY = "monthly", _("Varje månad")

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("måndag")
        TUESDAY = 1, _("tisdag")
        WEDNESDAY = 2, _("onsdag")
        THURSDAY = 3, _("torsdag")
        FRIDAY = 4, _("fredag")

    class Ordinal(models.IntegerChoices):
        FIRST = 1, _("första")
        SECOND = 2, _("andra")
        THIRD = 3, _("tredje")
        FOURTH = 4, _("fjärde")
        LAST = -1, _("sista")

    id = models.BigAutoField(primary_key=True, db_comment="Row id.")
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="meeting_series", db_comment="The team that meets."
    )
    title = models.CharField(_("rubrik"), max_length=200, db_comment="Name of the series, e.g. 'Månadsmöte'.")
    frequency = models.CharField(_("hur ofta"), max_length=10, choices=Frequency, db_comment="Weekly or monthly.")
    weekday = models.PositiveSmallIntegerField(_("veckodag"), choices=Weekday, db_comment="Weekday, 0 = Monday.")
    ordinal = models.SmallIntegerField(
        _("vilken i månaden"),
        choices=Ordinal,
        null=True,
        blank=True,
        db_comment="For monthly series: which weekday of the month (1-4, or -1 for the last); empty when weekly.",
    )
    starts_at = models.TimeField(_("börjar"), db_comment="Local start time of each meeting.")
    ends_at = models.TimeField(_("slutar"), db_comment="Local end time of each meeting.")
    place = models.CharField(_("plats"), max_length=200, blank=True, db_comment="Where the team meets, if in a room.")
    video_link = models.URLField(_("videolänk"), blank=True, db_comment="Link to the video meeting, if any.")
    first_date = models.DateField(_("från och med"), db_comment="No meeting of the series before this day.")
    active = models.BooleanField(default=True, db_comment="False once the series has stopped; no new meetings.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_comment="Who set up the series."
    )
    created_at = models.DateTimeField(auto_now_add=True, db_comment="When the series was set up.")

    class Meta:
        db_table_comment = "Recurring meeting schedules of multi-agency teams; they hold no child data."
        verbose_name = _("mötesserie")
        verbose_name_plural = _("mötesserier")
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="series_times"),
            models.CheckConstraint(
                condition=Q(frequency="weekly", ordinal__isnull=True) | Q(frequency="monthly", ordinal__isnull=False),
                name="series_ordinal_monthly_only",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Meeting(models.Model):
    """One meeting of a team: when and where, who came, its agenda and its minutes."""

    id = models.BigAutoField(primary_key=True, db_comment="Row id; audit rows of case reads name the meeting.")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="meetings", db_comment="The team.")
    series = models.ForeignKey(
        MeetingSeries,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
        db_comment="The series it belongs to; empty for a single meeting.",
    )
    date = models.DateField(_("datum"), db_comment="Day of the meeting.")
    starts_at = models.TimeField(_("börjar"), db_comment="Local start time.")
    ends_at = models.TimeField(_("slutar"), db_comment="Local end time.")
    place = models.CharField(_("plats"), max_length=200, blank=True, db_comment="Room or address of the meeting.")
    video_link = models.URLField(_("videolänk"), blank=True, db_comment="Link to the video meeting, if any.")
    minutes = models.TextField(
        _("protokoll"), blank=True, db_comment="The minutes' own text; frozen once approved (addenda follow)."
    )
    approved_at = models.DateTimeField(
        null=True, blank=True, db_comment="When the chair approved the minutes; then they are immutable."
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_comment="The chair who approved the minutes.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_comment="Who planned the meeting."
    )
    created_at = models.DateTimeField(auto_now_add=True, db_comment="When the meeting was planned.")

    class Meta:
        db_table_comment = "Meetings of multi-agency teams; attendance, agenda and minutes hang off them."
        verbose_name = _("möte")
        verbose_name_plural = _("möten")
        ordering = ["date", "starts_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="meeting_times"),
            models.UniqueConstraint(fields=["series", "date"], name="meeting_once_per_series_day"),
        ]
        indexes = [models.Index(fields=["team", "date"])]

    def __str__(self) -> str:
        return f"{self.team} {self.date:%Y-%m-%d}"


class Attendance(models.Model):
    """Who came to a meeting, and for which authority."""

    id = models.BigAutoField(primary_key=True, db_comment="Row id.")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance", db_comment="Meeting.")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_comment="Who took part."
    )
    authority = models.ForeignKey(
        Authority, on_delete=models.PROTECT, related_name="+", db_comment="Authority they took part for."
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_comment="Who recorded it."
    )

    class Meta:
        db_table_comment = "Attendance at team meetings, by authority."
        constraints = [models.UniqueConstraint(fields=["meeting", "user"], name="attendance_once")]


class CalendarFeed(models.Model):
    """A member's secret address of the team's calendar; revoking it stops the address at once."""

    id = models.BigAutoField(primary_key=True, db_comment="Row id.")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+", db_comment="The team.")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_comment="Member the feed is for."
    )
    token = models.CharField(max_length=64, unique=True, db_comment="Secret part of the feed address.")
    created_at = models.DateTimeField(auto_now_add=True, db_comment="When the address was made.")
    revoked_at = models.DateTimeField(null=True, blank=True, db_comment="When the address was revoked.")

    class Meta:
        db_table_comment = "Secret calendar-feed addresses of team members (meeting times, no child data)."
        constraints = [
            models.UniqueConstraint(
                fields=["team", "user"], condition=Q(revoked_at__isnull=True), name="calendar_feed_one_live"
            )
        ]


class AgendaItem(models.Model):
    """An anonymous consultation or a theme. Deliberately without any reference to a child."""

    class Kind(models.TextChoices):
        ANONYMOUS = "anonymous", _("Anonym konsultation")
        THEME = "theme", _("Tema")

    class AgeBand(models.TextChoices):
        INFANT = "0-1", _("0–1 år")
        TODDLER = "1-3", _("1–3 år")
        PRESCHOOL = "3-6", _("3–6 år")
        PRIMARY = "6-9", _("6–9 år")
        MIDDLE = "10-12", _("10–12 år")
        TEEN = "13-15", _("13–15 år")
        YOUTH = "16-18", _("16–18 år")

    class Gender(models.TextChoices):
        GIRL = "girl", _("Flicka")
        BOY = "boy", _("Pojke")
        OTHER = "other", _("Annat")

    class ThemeKind(models.TextChoices):
        KNOWLEDGE = "knowledge", _("Kunskapsutbyte")
        TRAINING = "training", _("Utbildning")
        SYSTEM = "system", _("Systemfel att lyfta uppåt")

    id = models.BigAutoField(primary_key=True, db_comment="Row id.")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items", db_comment="Meeting.")
    kind = models.CharField(_("typ"), max_length=20, choices=Kind, db_comment="Anonymous consultation or theme.")
    title = models.CharField(_("rubrik"), max_length=200, db_comment="Short heading, without identifying details.")
    age_band = models.CharField(
        _("ålder"), max_length=10, choices=AgeBand, blank=True, db_comment="Age band (anonymous items only)."
    )
    gender = models.CharField(_("kön"), max_length=10, choices=Gender, blank=True, db_comment="Optional gender.")
    theme_kind = models.CharField(
        _("slags tema"), max_length=20, choices=ThemeKind, blank=True, db_comment="Kind of theme (themes only)."
    )
    situation = models.TextField(_("situationen"), db_comment="The situation or theme, without identifying details.")
    question = models.TextField(_("frågan till teamet"), blank=True, db_comment="What the raiser asks the team.")
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_comment="Member who raised it."
    )
    raised_at = models.DateTimeField(auto_now_add=True, db_comment="When it was put on the agenda.")

    class Meta:
        db_table_comment = "Anonymous consultations and themes on team agendas; no link to any child by design."
        verbose_name = _("punkt på dagordningen")
        verbose_name_plural = _("punkter på dagordningen")
        ordering = ["raised_at", "pk"]

    def __str__(self) -> str:
        return self.title


class CaseItem(models.Model):
    """An identified child discussed with a consent that names the team; read only through the policy."""

    id = models.BigAutoField(primary_key=True, db_comment="Row id.")
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="cases", db_comment="Meeting.")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="+", db_comment="The child discussed.")
    consent = models.ForeignKey(
        Consent, on_delete=models.PROTECT, related_name="+", db_comment="The consent naming the team that allows it."
    )
    owner_authority = models.ForeignKey(
        Authority, on_delete=models.PROTECT, related_name="+", db_comment="Authority of the member who raised it."
    )
    category = models.CharField(
        _("uppgifter om"), max_length=30, choices=Category, db_comment="Category of what is told."
    )
    summary = models.TextField(_("det här vill jag ta upp"), db_comment="What the raiser tells the team.")
    question = models.TextField(_("frågan till teamet"), blank=True, db_comment="What the raiser asks the team.")
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_comment="Member who raised it."
    )
    raised_at = models.DateTimeField(auto_now_add=True, db_comment="When it was put on the agenda.")

    class Meta:
        db_table_comment = "Identified cases on team agendas, each under a consent that names the team."
        verbose_name = _("ärende med samtycke")
        verbose_name_plural = _("ärenden med samtycke")
        ordering = ["raised_at", "pk"]


class Outcome(models.Model):
    """What a meeting came to: advice, a decision or an action with an owner and a due date."""

    class Kind(models.TextChoices):
        ADVICE = "advice", _("Råd")
        DECISION = "decision", _("Beslut")
        ACTION = "action", _("Åtgärd")

    id = models.BigAutoField(primary_key=True, db_comment="Row id.")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="outcomes", db_comment="Meeting.")
    item = models.ForeignKey(
        AgendaItem,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="outcomes",
        db_comment="The anonymous item or theme it answers; empty for the meeting as a whole.",
    )
    kind = models.CharField(_("typ"), max_length=10, choices=Kind, db_comment="Advice, decision or action.")
    text = models.TextField(_("text"), db_comment="The advice, decision or action, without identifying details.")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_actions",
        db_comment="Who carries out an action.",
    )
    due_on = models.DateField(_("klart senast"), null=True, blank=True, db_comment="Due date of an action.")
    done_on = models.DateField(null=True, blank=True, db_comment="When the action was done; empty while open.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_comment="Who recorded it."
    )
    created_at = models.DateTimeField(auto_now_add=True, db_comment="When it was recorded.")

    class Meta:
        db_table_comment = "Advice, decisions and actions of team meetings; open actions follow to the next meeting."
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="action") | Q(owner__isnull=False, due_on__isnull=False), name="action_owner_due"
            )
        ]


class CaseOutcome(models.Model):
    """Advice or a decision on an identified case: child data, read only with the case (`policy.team_case_items`)."""

    class Kind(models.TextChoices):
        ADVICE = "advice", _("Råd")
        DECISION = "decision", _("Beslut")

    id = models.BigAutoField(primary_key=True, db_comment="Row id.")
    case = models.ForeignKey(
        CaseItem, on_delete=models.PROTECT, related_name="outcomes", db_comment="The identified case it answers."
    )
    kind = models.CharField(_("typ"), max_length=10, choices=Kind, db_comment="Advice or decision.")
    text = models.TextField(_("text"), db_comment="The advice or decision about the child.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_comment="Who recorded it."
    )
    created_at = models.DateTimeField(auto_now_add=True, db_comment="When it was recorded.")

    class Meta:
        db_table_comment = "Advice and decisions on identified cases; readable only by those who may read the case."
        ordering = ["created_at", "pk"]


class Addendum(models.Model):
    """A correction to approved minutes: the minutes never change, addenda follow them."""

    id = models.BigAutoField(primary_key=True, db_comment="Row id.")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="addenda", db_comment="Meeting.")
    text = models.TextField(_("tillägg"), db_comment="The correction or addition.")
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_comment="Who wrote it."
    )
    written_at = models.DateTimeField(auto_now_add=True, db_comment="When it was written.")

    class Meta:
        db_table_comment = "Addenda to approved minutes of team meetings."
        ordering = ["written_at", "pk"]


class ConsentReason(models.Model):
    """The reason a guardian chose to give for declining (or not answering) a consent to discuss the child in a team."""

    class Reason(models.TextChoices):
        SOCIAL_SERVICES = "social_services", _("Vill inte att socialtjänsten får veta")
        TOO_MANY = "too_many", _("För många som får veta")
        NOT_NEEDED = "not_needed", _("Behöver ingen hjälp just nu")
        HANDLED = "handled", _("Får redan hjälp på annat sätt")
        OTHER = "other", _("Annat skäl")

    id = models.BigAutoField(primary_key=True, db_comment="Row id.")
    consent = models.OneToOneField(
        Consent, on_delete=models.CASCADE, related_name="team_reason", db_comment="The consent request it answers."
    )
    reason = models.CharField(_("skäl"), max_length=20, choices=Reason, db_comment="Reason from the short list.")
    text = models.TextField(_("med egna ord"), blank=True, db_comment="The guardian's own words, if they gave any.")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_comment="Who recorded it."
    )
    recorded_at = models.DateTimeField(auto_now_add=True, db_comment="When it was recorded.")

    class Meta:
        db_table_comment = "Optional reasons guardians gave when declining consent to a team discussion."
