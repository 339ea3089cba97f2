"""The child's plan: one open plan per child, its participants, needs, actions, agreed versions and reviews.

A plan is a record of child information like any other: it carries `child`, `owner_authority`
(the authority of the plan's lead, who answers for it) and `category` "plan", so
`sharing.policy.records_for_user` decides who sees it. Its parts (participants, needs, actions,
links, reviews) are read only through a plan the user may see. Agreed versions are immutable: on
PostgreSQL a trigger refuses UPDATE and DELETE of versions and agreements (migration 0002).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from organisations.models import Authority
from people.models import Child, Guardian
from sharing.categories import Category
from wellbeing.indicators import Indicator


class Kind(models.TextChoices):
    SINGLE_AGENCY = "single_agency", _("En verksamhet")
    MULTI_AGENCY = "multi_agency", _("Flera verksamheter")


class Status(models.TextChoices):
    DRAFT = "draft", _("Utkast")
    AGREED = "agreed", _("Överenskommen")
    ACTIVE = "active", _("Pågår")
    REVIEW = "review", _("Uppföljning pågår")
    CLOSED = "closed", _("Avslutad")
    DECLINED = "declined", _("Familjen tackade nej")


# A closed or declined plan is history; any other status is the child's one open plan.
ENDED = (Status.CLOSED, Status.DECLINED)


class RiskLevel(models.TextChoices):
    NONE = "none", _("Ingen känd risk")
    LOW = "low", _("Låg")
    MEDIUM = "medium", _("Medel")
    HIGH = "high", _("Hög")


def _user(related_name: str, comment: str, *, null: bool = True) -> models.ForeignKey:
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=null,
        blank=null,
        related_name=related_name,
        db_comment=comment,
    )


class ChildPlan(models.Model):
    """The child's plan (barnets plan): why, who, what is needed, what is done, and how it is followed up."""

    id = models.BigAutoField(primary_key=True, db_comment="Row id; shown as the plan number.")
    # PROTECT: a child with a plan is never deleted by the application.
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="plans", db_comment="The child.")
    owner_authority = models.ForeignKey(
        Authority, on_delete=models.PROTECT, related_name="+", db_comment="Authority of the plan's lead; owns it."
    )
    category = models.CharField(
        max_length=30, choices=Category, default=Category.PLAN, db_comment="Information category; always plan."
    )
    kind = models.CharField(_("typ av plan"), max_length=20, choices=Kind, db_comment="single_agency or multi_agency.")
    status = models.CharField(
        max_length=10,
        choices=Status,
        default=Status.DRAFT,
        db_comment="draft, agreed, active, review, closed or declined.",
    )
    lead_professional = _user("+", "Lead professional (ansvarig samordnare); required for two or more authorities.")
    named_person = models.ForeignKey(
        "namedperson.Assignment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_comment="The child's named-person assignment when the plan started.",
    )
    reasons = models.TextField(_("skäl till planen"), db_comment="Why the plan exists, in plain words.")
    risk_level = models.CharField(
        _("nuvarande risknivå"),
        max_length=10,
        choices=RiskLevel,
        default=RiskLevel.NONE,
        db_comment="Current risk level: none, low, medium, high.",
    )
    harmful_behaviour = models.TextField(
        _("risk för skadligt beteende"), blank=True, db_comment="Risk of harmful behaviour towards or by the child."
    )
    risk_triggers = models.TextField(_("vad utlöser risken"), blank=True, db_comment="What triggers the risk.")
    risk_effect = models.TextField(
        _("hur risken påverkar barnet och andra"), blank=True, db_comment="How the risk affects the child and others."
    )
    contingency = models.TextField(_("beredskapsplan"), blank=True, db_comment="What is done if the plan fails.")
    review_arrangements = models.TextField(
        _("hur planen följs upp"), blank=True, db_comment="How and with whom the plan is reviewed."
    )
    review_interval_weeks = models.PositiveSmallIntegerField(
        _("uppföljning var (veckor)"), default=12, db_comment="Weeks between reviews; no national interval exists."
    )
    next_review_on = models.DateField(
        _("nästa uppföljning"), null=True, blank=True, db_comment="Date of the next review."
    )
    declined_at = models.DateTimeField(null=True, blank=True, db_comment="When the family said no to the plan.")
    declined_note = models.TextField(blank=True, db_comment="What the family said, if they wished it recorded.")
    closed_at = models.DateTimeField(null=True, blank=True, db_comment="When the plan was closed.")
    closed_reason = models.TextField(blank=True, db_comment="Why the plan was closed.")
    closed_by = _user("+", "User who closed or recorded the decline of the plan.")
    returned_to = _user("+", "Named person who is in charge again once the plan closed.")
    created_by = _user("+", "User who started the plan.", null=False)
    created_at = models.DateTimeField(auto_now_add=True, db_comment="When the plan was started.")
    updated_by = _user("+", "User who last changed the plan's own fields.")
    updated_at = models.DateTimeField(auto_now=True, db_comment="When the plan's own fields last changed.")
    version = models.PositiveIntegerField(
        default=1, db_comment="Optimistic lock: raised by one on every change; a save naming an older one is refused."
    )

    class Meta:
        db_table_comment = "The child's plan (barnets plan); at most one open plan per child."
        constraints = [
            models.UniqueConstraint(
                fields=["child"],
                condition=~Q(status__in=ENDED),
                name="plans_one_open_plan_per_child",
                violation_error_message=_(
                    "Barnet har redan en plan som inte är avslutad. Öppna den och ändra den i stället, eller avsluta "
                    "den först."
                ),
            ),
            models.CheckConstraint(
                condition=Q(kind=Kind.SINGLE_AGENCY) | Q(lead_professional__isnull=False),
                name="plans_multi_agency_has_lead",
                violation_error_message=_("En plan med flera verksamheter ska ha en ansvarig samordnare. Välj en."),
            ),
            models.CheckConstraint(condition=Q(category=Category.PLAN), name="plans_category_is_plan"),
        ]
        indexes = [models.Index(fields=["status", "next_review_on"])]

    def __str__(self) -> str:
        return f"Plan {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status not in ENDED


class Participant(models.Model):
    """Someone taking part in the plan, with their own view of it in their own words."""

    class Role(models.TextChoices):
        CHILD = "child", _("Barnet")
        GUARDIAN = "guardian", pgettext_lazy("en person", "Vårdnadshavare")  # one guardian: "Guardian"
        NAMED_PERSON = "named_person", _("Namngiven person")
        LEAD = "lead_professional", _("Ansvarig samordnare")
        PRACTITIONER = "practitioner", _("Yrkesperson")
        OTHER = "other", _("Annan")

    id = models.BigAutoField(primary_key=True, db_comment="Row id.")
    plan = models.ForeignKey(ChildPlan, on_delete=models.CASCADE, related_name="participants", db_comment="The plan.")
    user = _user("+", "Staff user, when the participant is one.")
    guardian = models.ForeignKey(
        Guardian,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_comment="The guardian, when the participant is one known to Samplan; lets them answer in the family view.",
    )
    name = models.CharField(_("namn"), max_length=200, db_comment="Name as shown (the user's, or an external name).")
    authority = models.ForeignKey(
        Authority,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_comment="Authority the participant takes part for; empty for the family and others.",
    )
    role = models.CharField(_("roll"), max_length=20, choices=Role, db_comment="Role in the plan.")
    title = models.CharField(_("befattning"), max_length=200, blank=True, db_comment="Title or relation, free text.")
    view = models.TextField(
        _("synpunkter med egna ord"), blank=True, db_comment="The participant's own view of the plan, in their words."
    )
    added_at = models.DateTimeField(auto_now_add=True, db_comment="When the participant was added.")

    class Meta:
        db_table_comment = "Participants of a child's plan, the child and guardians included, with their views."
        ordering = ["pk"]


class NeedSummary(models.Model):
    """The summary of the child's needs against one wellbeing indicator."""

    id = models.BigAutoField(primary_key=True, db_comment="Row id.")
    plan = models.ForeignKey(ChildPlan, on_delete=models.CASCADE, related_name="needs", db_comment="The plan.")
    indicator = models.CharField(
        _("indikator"), max_length=20, choices=Indicator, db_comment="SHANARRI indicator code."
    )
    summary = models.TextField(_("behov"), db_comment="What the child needs under this indicator.")

    class Meta:
        db_table_comment = "Summary of needs in a child's plan, one row per wellbeing indicator."
        constraints = [models.UniqueConstraint(fields=["plan", "indicator"], name="plans_one_need_per_indicator")]
        ordering = ["pk"]


class Action(models.Model):
    """What is done, by whom, with what, when, and what it should lead to."""

    class State(models.TextChoices):
        PLANNED = "planned", _("Planerad")
        ONGOING = "ongoing", _("Pågår")
        DONE = "done", _("Genomförd")
        CANCELLED = "cancelled", _("Avbruten")

    id = models.BigAutoField(primary_key=True, db_comment="Row id.")
    plan = models.ForeignKey(ChildPlan, on_delete=models.CASCADE, related_name="actions", db_comment="The plan.")
    owner_authority = models.ForeignKey(
        Authority, on_delete=models.PROTECT, related_name="+", db_comment="Authority responsible for the action."
    )
    owner_person = _user("+", "Person responsible for the action, when a staff user.")
    description = models.TextField(_("åtgärd"), db_comment="What is to be done and how.")
    resources = models.TextField(_("resurser"), blank=True, db_comment="Resources to be provided.")
    start = models.DateField(_("start"), db_comment="First day of the action.")
    end = models.DateField(_("slut"), db_comment="Last day of the action; overdue after it unless done.")
    expected_outcome = models.TextField(_("förväntat resultat"), db_comment="The expected effect for the child.")
    indicators = models.JSONField(
        _("indikatorer"), default=list, blank=True, db_comment="Wellbeing indicator codes the action addresses."
    )
    status = models.CharField(
        max_length=10, choices=State, default=State.PLANNED, db_comment="planned, ongoing, done or cancelled."
    )
    version = models.PositiveIntegerField(
        default=1,
        db_comment="Optimistic lock: raised by one on every change; an edit naming an older one is refused.",
    )

    class Meta:
        db_table_comment = "Actions of a child's plan: owner, resources, timetable and expected outcome."
        ordering = ["start", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="plans_action_ends_after_start")
        ]


class StatutoryPlanLink(models.Model):
    """A reference to a statutory plan the child has elsewhere; the plan itself stays in its own system."""

    class Kind(models.TextChoices):
        SIP = "sip", _("SIP (samordnad individuell plan)")
        IEP = "atgardsprogram", _("Åtgärdsprogram")
        CARE = "vardplan", _("Vårdplan")
        IMPLEMENTATION = "genomforandeplan", _("Genomförandeplan")

    id = models.BigAutoField(primary_key=True, db_comment="Row id.")
    plan = models.ForeignKey(ChildPlan, on_delete=models.CASCADE, related_name="links", db_comment="The plan.")
    kind = models.CharField(_("typ"), max_length=20, choices=Kind, db_comment="sip, atgardsprogram, vardplan ...")
    reference = models.CharField(
        _("referens"), max_length=300, db_comment="Where to find it: a case or document reference, no content."
    )
    held_by = models.CharField(_("ansvarig"), max_length=200, db_comment="Who holds the statutory plan.")

    class Meta:
        db_table_comment = "References from a child's plan to statutory plans (SIP, åtgärdsprogram, vårdplan ...)."
        ordering = ["pk"]


class PlanVersion(models.Model):
    """A snapshot of the whole plan as put to agreement. Never changed (a trigger refuses it on PostgreSQL).

    Staff who record everyone's answer at once make a version that is agreed from the start. A
    version sent to the guardians waits (`agreed_at` empty) until every guardian in it has agreed
    in the family view; then `agreed_at` is set, the one change the trigger allows (migration 0005).
    """

    id = models.BigAutoField(primary_key=True, db_comment="Row id.")
    plan = models.ForeignKey(ChildPlan, on_delete=models.PROTECT, related_name="versions", db_comment="The plan.")
    number = models.PositiveIntegerField(db_comment="1 for the first version put to agreement, then 2, 3 ...")
    agreed_at = models.DateTimeField(
        null=True,
        blank=True,
        db_comment="When the version was agreed; empty while it waits for the guardians, or if it never was agreed.",
    )
    agreed_by = _user(
        "+", "Staff user who recorded the agreement, or who sent the version to the guardians to answer.", null=False
    )
    sent_at = models.DateTimeField(
        null=True,
        blank=True,
        db_comment="When the version was sent to the guardians to answer in the family view; empty when staff "
        "recorded every answer at once.",
    )
    snapshot = models.JSONField(db_comment="The plan, its participants, needs, actions and links as put to agreement.")

    class Meta:
        db_table_comment = (
            "Versions of a child's plan put to agreement: agreed, or waiting for the guardians. Append-only."
        )
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="plans_version_number_unique")]
        ordering = ["number"]


class PlanAgreement(models.Model):
    """One participant's or guardian's agreement (or not) to a version. Never changed."""

    class Answer(models.TextChoices):
        AGREES = "agrees", _("Instämmer")
        DISAGREES = "disagrees", _("Instämmer inte")

    class Method(models.TextChoices):
        STAFF = "staff", _("Registrerat av personal")
        FAMILY_VIEW = "family_view", _("I familjevyn, av personen själv")

    id = models.BigAutoField(primary_key=True, db_comment="Row id.")
    version = models.ForeignKey(
        PlanVersion, on_delete=models.PROTECT, related_name="agreements", db_comment="The version answered."
    )
    name = models.CharField(max_length=200, db_comment="Participant's name when the agreement was recorded.")
    role = models.CharField(max_length=20, choices=Participant.Role, db_comment="Participant's role at the time.")
    answer = models.CharField(max_length=10, choices=Answer, db_comment="agrees or disagrees.")
    note = models.TextField(blank=True, db_comment="What the participant said, in their words.")
    # PROTECT, not SET_NULL: agreements are append-only, so a guardian who answered is never unlinked.
    guardian = models.ForeignKey(
        Guardian,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_comment="The guardian who answered, when the participant was a guardian known to Samplan.",
    )
    method = models.CharField(
        max_length=20,
        choices=Method,
        default=Method.STAFF,
        db_comment="staff (recorded by staff on the participant's word) or family_view (by the guardian themselves).",
    )
    recorded_at = models.DateTimeField(
        null=True, blank=True, db_comment="When the answer was recorded; empty for answers older than this column."
    )

    class Meta:
        db_table_comment = "Participants' and guardians' answers to a plan version; append-only."
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "guardian"],
                condition=Q(guardian__isnull=False),
                name="plans_one_answer_per_guardian_and_version",
            )
        ]


class Review(models.Model):
    """A review of the plan answering the five evaluation questions, with the wheel re-rated if done."""

    id = models.BigAutoField(primary_key=True, db_comment="Row id.")
    plan = models.ForeignKey(ChildPlan, on_delete=models.PROTECT, related_name="reviews", db_comment="The plan.")
    started_at = models.DateTimeField(db_comment="When the review was started.")
    started_by = _user("+", "User who started the review.", null=False)
    held_on = models.DateField(_("datum för uppföljningen"), null=True, blank=True, db_comment="Date of the review.")
    improved = models.TextField(_("vad har blivit bättre i barnets liv?"), blank=True, db_comment="What has improved.")
    worsened = models.TextField(_("har något blivit sämre?"), blank=True, db_comment="What has got worse.")
    aims_met = models.TextField(_("har planens syfte uppnåtts?"), blank=True, db_comment="Were the aims met.")
    must_change = models.TextField(
        _("om inte, behöver något i planen ändras?"), blank=True, db_comment="What must change in the plan."
    )
    can_continue = models.TextField(
        _("kan insatserna fortsätta i nuvarande situation?"), blank=True, db_comment="Can the activities continue."
    )
    assessment = models.ForeignKey(
        "wellbeing.Assessment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_comment="The wellbeing wheel re-rated at the review, if it was.",
    )
    completed_at = models.DateTimeField(null=True, blank=True, db_comment="When the review was completed.")
    completed_by = _user("+", "User who completed the review.")

    class Meta:
        db_table_comment = "Reviews of a child's plan: the five evaluation questions and a re-rated wheel."
        ordering = ["started_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan"], condition=Q(completed_at__isnull=True), name="plans_one_open_review_per_plan"
            )
        ]


class Reminder(models.Model):
    """A due review or an overdue action, for the plan's lead and owners. One per plan, kind and due date."""

    class Kind(models.TextChoices):
        REVIEW_DUE = "review_due", _("Uppföljning ska göras")
        ACTION_OVERDUE = "action_overdue", _("Åtgärd har passerat slutdatum")
        RENEW_AT_MAJORITY = "renew_at_majority", _("Barnet har fyllt 18: planen behöver godkännas av den unga personen")
        REQUEST_ROUTED = "request_routed", _("Mottagningen har fört en begäran om stöd till planen")

    id = models.BigAutoField(primary_key=True, db_comment="Row id.")
    plan = models.ForeignKey(ChildPlan, on_delete=models.CASCADE, related_name="reminders", db_comment="The plan.")
    action = models.ForeignKey(
        Action, on_delete=models.CASCADE, null=True, blank=True, related_name="+", db_comment="The overdue action."
    )
    kind = models.CharField(
        max_length=20, choices=Kind, db_comment="review_due, action_overdue, renew_at_majority or request_routed."
    )
    due_on = models.DateField(db_comment="Review date, the action's end date, or the child's 18th birthday.")
    created_at = models.DateTimeField(auto_now_add=True, db_comment="When the reminder was made.")

    class Meta:
        db_table_comment = (
            "Reminders of due plan reviews, overdue actions and plans to renew with a young person now 18; "
            "made by the plan_reminders task."
        )
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "kind", "due_on"], condition=Q(action__isnull=True), name="plans_reminder_once_per_plan"
            ),
            models.UniqueConstraint(
                fields=["action", "kind", "due_on"],
                condition=Q(action__isnull=False),
                name="plans_reminder_once_per_action",
            ),
        ]
