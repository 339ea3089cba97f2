"""Programmes: stimulus grants (calls, applications, assessment, awards, follow-up), lectures and budgets.

Nothing here holds child data: application text is checked for personal numbers before it is saved.
Every row hangs off a programme of a municipality. Amounts are whole kronor.
"""

from __future__ import annotations

from uuid import uuid4

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from organisations.models import Municipality, Unit


class Programme(models.Model):
    """A municipal programme, e.g. an early-support initiative, run by an owner with a steering group."""

    id = models.BigAutoField(primary_key=True, db_comment="Row id.")
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="programmes",
        verbose_name=_("kommun"),
        db_comment="Municipality that runs the programme.",
    )
    name = models.CharField(_("namn"), max_length=200, db_comment="Programme name.")
    owner = models.CharField(_("ägare"), max_length=200, db_comment="Who owns the programme, e.g. Kommunstyrelsen.")
    description = models.TextField(_("beskrivning"), blank=True, db_comment="Purpose of the programme.")
    starts_on = models.DateField(_("startar"), db_comment="First day of the programme.")
    ends_on = models.DateField(_("slutar"), db_comment="Last day of the programme.")
    steering_group = models.TextField(
        _("styrgrupp"), blank=True, db_comment="Steering group members, one per line (name and title)."
    )

    class Meta:
        db_table_comment = "Programmes (stimulus grants, lectures, budgets) of a municipality."
        verbose_name = _("program")
        verbose_name_plural = _("program")
        ordering = ["-starts_on", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="programme_dates_ordered")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def steering_members(self) -> list[str]:
        return [line.strip() for line in self.steering_group.splitlines() if line.strip()]


class SubProject(models.Model):
    """A part (delprojekt) of a programme, with its own budget lines."""

    id = models.BigAutoField(primary_key=True, db_comment="Row id.")
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="sub_projects", db_comment="Programme it belongs to."
    )
    name = models.CharField(_("namn"), max_length=200, db_comment="Sub-project name.")
    description = models.TextField(_("beskrivning"), blank=True, db_comment="What the sub-project does.")

    class Meta:
        db_table_comment = "Sub-projects (delprojekt) of a programme."
        verbose_name = _("delprojekt")
        verbose_name_plural = _("delprojekt")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["programme", "name"], name="sub_project_unique_name")]

    def __str__(self) -> str:
        return self.name


class BudgetLine(models.Model):
    """Money allocated to a programme (or one of its sub-projects) for one year."""

    id = models.BigAutoField(primary_key=True, db_comment="Row id.")
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="budget_lines", db_comment="Programme the money is for."
    )
    sub_project = models.ForeignKey(
        SubProject,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="budget_lines",
        verbose_name=_("delprojekt"),
        db_comment="Sub-project the money is for; empty for the programme as a whole.",
    )
    year = models.PositiveSmallIntegerField(_("år"), db_comment="Budget year.")
    allocated = models.PositiveBigIntegerField(_("avsatt (kr)"), db_comment="Kronor allocated for the year.")

    class Meta:
        db_table_comment = "Allocated money per programme or sub-project and year."
        verbose_name = _("budgetpost")
        verbose_name_plural = _("budgetposter")
        ordering = ["year", "sub_project__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "sub_project", "year"],
                condition=Q(sub_project__isnull=False),
                name="budget_line_unique_per_part",
            ),
            models.UniqueConstraint(
                fields=["programme", "year"], condition=Q(sub_project__isnull=True), name="budget_line_unique_whole"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sub_project or self.programme} {self.year}"


class BudgetEntry(models.Model):
    """Money booked against a budget line: committed (promised) or used (paid)."""

    class Kind(models.TextChoices):
        COMMITTED = "committed", _("Beslutat")
        USED = "used", _("Använt")

    id = models.BigAutoField(primary_key=True, db_comment="Row id.")
    line = models.ForeignKey(
        BudgetLine, on_delete=models.CASCADE, related_name="entries", db_comment="Budget line the money is booked on."
    )
    kind = models.CharField(_("typ"), max_length=10, choices=Kind, db_comment="committed (promised) or used (paid).")
    amount = models.PositiveBigIntegerField(_("belopp (kr)"), db_comment="Kronor.")
    sub_project = models.ForeignKey(
        SubProject,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="budget_entries",
        verbose_name=_("delprojekt"),
        db_comment="Sub-project the money went to, when booked on a programme-wide line.",
    )
    description = models.CharField(_("beskrivning"), max_length=300, db_comment="What the money is for.")
    booked_on = models.DateField(_("bokfört"), db_comment="Day the entry was booked.")
    application = models.ForeignKey(
        "Application",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="budget_entries",
        db_comment="Grant award the entry books, if any.",
    )
    event = models.ForeignKey(
        "Event",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="budget_entries",
        db_comment="Event whose cost the entry books, if any.",
    )

    class Meta:
        db_table_comment = "Committed and used money per budget line; awards and event costs are booked here."
        verbose_name = _("budgethändelse")
        verbose_name_plural = _("budgethändelser")
        ordering = ["booked_on", "id"]

    def __str__(self) -> str:
        return self.description


class GrantCall(models.Model):
    """A call for stimulus-grant applications, open between two exact moments."""

    id = models.BigAutoField(primary_key=True, db_comment="Row id.")
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="calls", db_comment="Programme the call belongs to."
    )
    budget_line = models.ForeignKey(
        BudgetLine,
        on_delete=models.PROTECT,
        related_name="calls",
        verbose_name=_("budgetpost"),
        db_comment="Budget line the awards are booked against.",
    )
    title = models.CharField(_("rubrik"), max_length=200, db_comment="Title of the call.")
    purpose = models.TextField(_("syfte"), db_comment="What the grant is for.")
    target_group = models.CharField(
        _("målgrupp"), max_length=300, db_comment="Whom the funded work must reach, e.g. children 0-9."
    )
    who_may_apply = models.TextField(
        _("vem får söka"), db_comment="Who may apply: municipal and independent units, associations …"
    )
    opens_at = models.DateTimeField(_("öppnar"), db_comment="First moment applications are accepted.")
    closes_at = models.DateTimeField(
        _("stänger"), db_comment="Closing time: a submission at or after this moment is refused."
    )
    award_levels = models.CharField(
        _("bidragsnivåer"), max_length=200, db_comment="Award levels in kronor, comma-separated, e.g. 50000,25000."
    )
    budget = models.PositiveBigIntegerField(_("budget för utlysningen (kr)"), db_comment="Kronor set aside.")
    scale_max = models.PositiveSmallIntegerField(
        _("högsta poäng per kriterium"), default=5, db_comment="Scores run from 0 to this value."
    )
    follow_up_due_on = models.DateField(
        _("uppföljning senast"), db_comment="Day the follow-up report of each award is due."
    )
    assessors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="assessed_calls", blank=True, verbose_name=_("bedömare")
    )

    class Meta:
        db_table_comment = "Calls for stimulus-grant applications."
        verbose_name = _("utlysning")
        verbose_name_plural = _("utlysningar")
        ordering = ["-closes_at"]
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=models.F("opens_at")), name="call_dates_ordered"),
            models.CheckConstraint(condition=Q(scale_max__gte=1), name="call_scale_positive"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def levels(self) -> list[int]:
        return [int(part) for part in self.award_levels.replace(" ", "").split(",") if part]


class Criterion(models.Model):
    """A selection criterion of a call, with its weight in the total."""

    id = models.BigAutoField(primary_key=True, db_comment="Row id.")
    call = models.ForeignKey(GrantCall, on_delete=models.CASCADE, related_name="criteria", db_comment="The call.")
    position = models.PositiveSmallIntegerField(_("ordning"), db_comment="Order on the form.")
    title = models.CharField(_("kriterium"), max_length=200, db_comment="The criterion in words.")
    weight = models.PositiveSmallIntegerField(_("vikt"), default=1, db_comment="Multiplier of the score in the total.")

    class Meta:
        db_table_comment = "Selection criteria of a call, with weights."
        verbose_name = _("urvalskriterium")
        verbose_name_plural = _("urvalskriterier")
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["call", "position"], name="criterion_unique_position")]

    def __str__(self) -> str:
        return self.title


class Application(models.Model):
    """An application to a call, by staff of a unit or by an organisation outside the municipality."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        SUBMITTED = "submitted", _("Inskickad")
        WITHDRAWN = "withdrawn", _("Återkallad")
        AWARDED = "awarded", _("Beviljad")
        DECLINED = "declined", _("Avslagen")

    id = models.BigAutoField(primary_key=True, db_comment="Row id.")
    call = models.ForeignKey(
        GrantCall, on_delete=models.CASCADE, related_name="applications", db_comment="Call applied to."
    )
    key = models.UUIDField(
        default=uuid4, unique=True, editable=False, db_comment="Secret part of the applicant's signed link."
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="grant_applications",
        verbose_name=_("enhet"),
        db_comment="Applying unit when staff apply; assessors working there have a conflict of interest.",
    )
    organisation = models.CharField(
        _("verksamhet eller förening"), max_length=200, db_comment="Applying organisation, as the applicant names it."
    )
    contact_name = models.CharField(_("kontaktperson"), max_length=200, db_comment="Applicant contact person.")
    contact_email = models.EmailField(_("e-post"), db_comment="Applicant contact e-mail.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_comment="Staff user who applied; empty for an applicant using the signed link.",
    )
    title = models.CharField(_("idéns namn"), max_length=200, db_comment="Name of the idea or example.")
    description = models.TextField(_("beskrivning"), db_comment="What will be done, for whom, with whom.")
    expected_result = models.TextField(_("förväntat resultat"), blank=True, db_comment="What the applicant expects.")
    amount_requested = models.PositiveIntegerField(_("sökt belopp (kr)"), db_comment="Kronor applied for.")
    may_publish = models.BooleanField(
        _("får publiceras"), default=False, db_comment="Applicant agrees that an award is shown on the public page."
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.DRAFT, db_comment="Where the application stands."
    )
    created_at = models.DateTimeField(auto_now_add=True, db_comment="When the draft was started.")
    submitted_at = models.DateTimeField(null=True, blank=True, db_comment="When it was submitted.")
    withdrawn_at = models.DateTimeField(null=True, blank=True, db_comment="When the applicant withdrew it.")

    class Meta:
        db_table_comment = "Stimulus-grant applications; no child data (checked for personal numbers)."
        verbose_name = _("ansökan")
        verbose_name_plural = _("ansökningar")
        ordering = ["call", "organisation"]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.title}"


class Attachment(models.Model):
    """A file attached to an application (PDF, JPEG or PNG up to 10 MB, stored under a neutral name)."""

    id = models.BigAutoField(primary_key=True, db_comment="Row id.")
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="attachments", db_comment="The application."
    )
    title = models.CharField(
        _("vad filen är"), max_length=200, db_comment="What the file is, in the applicant's words."
    )
    file = models.FileField(upload_to="programmes/", db_comment="Stored file, under a random name.")
    uploaded_at = models.DateTimeField(auto_now_add=True, db_comment="When it was uploaded.")

    class Meta:
        db_table_comment = "Files attached to grant applications."
        verbose_name = _("bilaga")
        verbose_name_plural = _("bilagor")

    def __str__(self) -> str:
        return self.title


class ConflictOfInterest(models.Model):
    """An assessor's declared conflict of interest with an application: they may not score it."""

    id = models.BigAutoField(primary_key=True, db_comment="Row id.")
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="conflicts", db_comment="The application."
    )
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_comment="The conflicted assessor."
    )
    reason = models.CharField(_("skäl"), max_length=300, db_comment="Why the assessor is conflicted.")
    declared_at = models.DateTimeField(auto_now_add=True, db_comment="When it was declared.")

    class Meta:
        db_table_comment = "Declared conflicts of interest (jäv) between assessors and applications."
        verbose_name = _("jäv")
        verbose_name_plural = _("jäv")
        constraints = [models.UniqueConstraint(fields=["application", "assessor"], name="conflict_once")]


class Score(models.Model):
    """One assessor's score of one criterion of one application, with a comment."""

    id = models.BigAutoField(primary_key=True, db_comment="Row id.")
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="scores", db_comment="The application."
    )
    criterion = models.ForeignKey(
        Criterion, on_delete=models.CASCADE, related_name="scores", db_comment="The criterion scored."
    )
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_comment="Who scored."
    )
    value = models.PositiveSmallIntegerField(_("poäng"), db_comment="Score, 0 to the call's scale maximum.")
    comment = models.TextField(_("kommentar"), blank=True, db_comment="The assessor's reasoning.")
    scored_at = models.DateTimeField(auto_now=True, db_comment="When the score was last set.")

    class Meta:
        db_table_comment = "Assessors' scores per criterion and application."
        verbose_name = _("poäng")
        verbose_name_plural = _("poäng")
        constraints = [
            models.UniqueConstraint(fields=["application", "criterion", "assessor"], name="score_once_per_assessor")
        ]


class Decision(models.Model):
    """The decision on an application: award with amount and written motivation, or decline."""

    id = models.BigAutoField(primary_key=True, db_comment="Row id.")
    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="decision", db_comment="The application decided."
    )
    awarded = models.BooleanField(_("beviljas"), db_comment="True when a grant is awarded.")
    amount = models.PositiveIntegerField(_("belopp (kr)"), default=0, db_comment="Kronor awarded; 0 when declined.")
    motivation = models.TextField(_("motivering"), db_comment="Written motivation, published with the award.")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_comment="Who decided."
    )
    decided_at = models.DateTimeField(db_comment="When it was decided.")

    class Meta:
        db_table_comment = "Decisions on grant applications, with motivation."
        verbose_name = _("beslut")
        verbose_name_plural = _("beslut")


class FollowUp(models.Model):
    """The follow-up report of an award: the four questions of the Nacka follow-up and what others can learn."""

    class Answer(models.TextChoices):
        YES = "yes", _("Ja")
        PARTLY = "partly", _("Delvis")
        NO = "no", _("Nej")

    id = models.BigAutoField(primary_key=True, db_comment="Row id.")
    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="follow_up", db_comment="The awarded application."
    )
    due_on = models.DateField(_("senast"), db_comment="Day the report is due.")
    used_as_applied = models.CharField(
        _("Har bidraget använts enligt ansökan?"),
        max_length=10,
        choices=Answer,
        blank=True,
        db_comment="Used as applied: yes, partly, no; empty until reported.",
    )
    achieved_result = models.CharField(
        _("Har ni uppnått förväntat resultat?"),
        max_length=10,
        choices=Answer,
        blank=True,
        db_comment="Achieved the expected result.",
    )
    gained_knowledge = models.CharField(
        _("Har ni fått ytterligare kunskap?"),
        max_length=10,
        choices=Answer,
        blank=True,
        db_comment="Gained further knowledge.",
    )
    continues = models.CharField(
        _("Fortsätter arbetet?"), max_length=10, choices=Answer, blank=True, db_comment="The work continues."
    )
    money_used = models.PositiveIntegerField(
        _("använt belopp (kr)"), null=True, blank=True, db_comment="Kronor used, as reported."
    )
    lessons = models.TextField(
        _("vad andra kan lära sig"), blank=True, db_comment="Description others can learn from, for spreading."
    )
    submitted_at = models.DateTimeField(null=True, blank=True, db_comment="When the report was filed.")
    reminded_on = models.DateField(null=True, blank=True, db_comment="Last day a reminder was sent.")

    class Meta:
        db_table_comment = "Follow-up reports of grant awards."
        verbose_name = _("uppföljning")
        verbose_name_plural = _("uppföljningar")
        ordering = ["due_on"]


class Profession(models.TextChoices):
    """Professions counted in lecture reports (the finding: mostly preschool staff, few from social services)."""

    PRESCHOOL = "preschool", _("Förskolepersonal")
    SCHOOL = "school", _("Skolpersonal")
    CHILD_HEALTH = "child_health", _("BVC")
    STUDENT_HEALTH = "student_health", _("Barn- och elevhälsa")
    SOCIAL_SERVICES = "social_services", _("Socialtjänst")
    FAMILY_CENTRE = "family_centre", _("Familjecentral och öppen förskola")
    CHURCH_CIVIL = "church_civil", _("Kyrka och föreningar")
    OTHER = "other", _("Annan")


class Event(models.Model):
    """A competence-development event (a lecture), held in one or more sessions."""

    id = models.BigAutoField(primary_key=True, db_comment="Row id.")
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="events", db_comment="Programme it belongs to."
    )
    budget_line = models.ForeignKey(
        BudgetLine,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        db_comment="Budget line the event's cost is booked against.",
    )
    title = models.CharField(_("rubrik"), max_length=200, db_comment="Title of the lecture.")
    description = models.TextField(_("beskrivning"), blank=True, db_comment="What it is about.")
    place = models.CharField(_("plats"), max_length=200, db_comment="Where it is held.")
    speakers = models.CharField(_("föreläsare"), max_length=300, db_comment="Speakers, comma-separated.")
    target_professions = models.CharField(
        _("för vilka yrkesgrupper"), max_length=300, db_comment="Target professions, in words."
    )
    presenting = models.ManyToManyField(
        Application,
        blank=True,
        related_name="presentations",
        verbose_name=_("bidragstagare som berättar"),
    )

    class Meta:
        db_table_comment = "Competence-development events (lectures)."
        verbose_name = _("föreläsning")
        verbose_name_plural = _("föreläsningar")

    def __str__(self) -> str:
        return self.title


class EventSession(models.Model):
    """One sitting of an event (a half day, repeated morning and afternoon), with its capacity."""

    id = models.BigAutoField(primary_key=True, db_comment="Row id.")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="sessions", db_comment="The event.")
    starts_at = models.DateTimeField(_("börjar"), db_comment="Start.")
    ends_at = models.DateTimeField(_("slutar"), db_comment="End.")
    capacity = models.PositiveIntegerField(_("antal platser"), db_comment="Places; later registrations wait.")

    class Meta:
        db_table_comment = "Sessions (sittings) of events, with capacity."
        verbose_name = _("tillfälle")
        verbose_name_plural = _("tillfällen")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="session_dates_ordered")
        ]

    def __str__(self) -> str:
        return f"{self.event} {self.starts_at:%Y-%m-%d %H:%M}"


class Registration(models.Model):
    """A staff member's place (or place on the waiting list) at a session, attendance and evaluation."""

    class Status(models.TextChoices):
        PLACE = "place", _("Plats")
        WAITING = "waiting", _("Väntelista")
        CANCELLED = "cancelled", _("Avbokad")

    id = models.BigAutoField(primary_key=True, db_comment="Row id.")
    session = models.ForeignKey(
        EventSession, on_delete=models.CASCADE, related_name="registrations", db_comment="The session."
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_comment="Registered staff user; empty for demo history rows imported from lists.",
    )
    profession = models.CharField(_("yrkesgrupp"), max_length=20, choices=Profession, db_comment="Profession.")
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("enhet"),
        db_comment="Unit the participant works at.",
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, db_comment="Place, waiting or cancelled.")
    registered_at = models.DateTimeField(db_comment="When registered; the waiting list is in this order.")
    attended = models.BooleanField(null=True, blank=True, db_comment="Attendance; empty until marked.")

    class Meta:
        db_table_comment = "Registrations for event sessions, waiting list and attendance."
        verbose_name = _("anmälan")
        verbose_name_plural = _("anmälningar")
        ordering = ["registered_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user"],
                condition=~Q(status="cancelled"),
                name="registration_once_per_session",
            )
        ]


class Evaluation(models.Model):
    """A participant's short evaluation of a session."""

    id = models.BigAutoField(primary_key=True, db_comment="Row id.")
    registration = models.OneToOneField(
        Registration, on_delete=models.CASCADE, related_name="evaluation", db_comment="The registration evaluated."
    )
    rating = models.PositiveSmallIntegerField(_("betyg"), db_comment="Rating 1-5.")
    would_recommend = models.BooleanField(
        _("Skulle du rekommendera föreläsningen till en kollega?"), db_comment="Would recommend to a colleague."
    )
    comment = models.TextField(_("kommentar"), blank=True, db_comment="Free text.")

    class Meta:
        db_table_comment = "Evaluations of event sessions."
        verbose_name = _("utvärdering")
        verbose_name_plural = _("utvärderingar")
        constraints = [models.CheckConstraint(condition=Q(rating__gte=1, rating__lte=5), name="evaluation_rating")]
