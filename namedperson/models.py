"""Named-person stage rules, assignments (one at a time, full history) and handover proposals."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.maintained import MaintainedQuerySet
from organisations.models import Authority, Municipality, Role, Unit
from people.models import Child
from sharing.categories import Category


class Stage(models.TextChoices):
    PRE_BIRTH = "pre_birth", _("Före födseln och första dagarna (mödrahälsovård)")
    CHILD_HEALTH = "child_health", _("Barnhälsovård")
    SCHOOL = "school", _("Skola")


class EndReason(models.TextChoices):
    HANDOVER = "handover", _("Överlämnad till ny namngiven person")
    SERVICE_ENDED = "service_ended", _("Tjänsten upphörde (ålder eller gymnasiets slut)")
    OTHER = "other", _("Annan orsak")


class StageRules(models.Model):
    """A municipality's handover rules; defaults follow DOMAIN.md and may be changed by an administrator."""

    id = models.BigAutoField(primary_key=True, db_comment="Row id.")
    municipality = models.OneToOneField(
        Municipality,
        on_delete=models.CASCADE,
        related_name="stage_rules",
        db_comment="Municipality the rules apply to.",
    )
    child_health_from_days = models.PositiveSmallIntegerField(
        _("barnhälsovården tar över efter (dagar)"),
        default=11,
        help_text=_("Standard 11 dagar efter födseln (uppgiften är obekräftad och kan ändras lokalt)."),
        db_comment="Days after birth when child health care takes over from maternity care.",
    )
    end_age_years = models.PositiveSmallIntegerField(
        _("upphör vid ålder"),
        default=18,
        help_text=_("Standard 18 år. Tjänsten upphör på födelsedagen, om inte barnet går kvar i gymnasieskolan."),
        db_comment="Age at which the named-person service ends.",
    )
    continue_in_upper_secondary = models.BooleanField(
        _("fortsätt till gymnasiets slut"),
        default=True,
        help_text=_(
            "Standard: ja. Behåll namngiven person efter 18 års ålder så länge barnet utan avbrott går i "
            "gymnasieskolan."
        ),
        db_comment="Keep the service past the end age while enrolled in upper secondary school.",
    )

    class Meta:
        db_table_comment = "Per-municipality configuration of named-person stages."
        verbose_name = _("regler för namngiven person")
        verbose_name_plural = _("regler för namngiven person")

    def __str__(self) -> str:
        return str(self.municipality)


class Assignment(models.Model):
    """A period during which one person is a child's named person. Half-open: [start, end)."""

    id = models.BigAutoField(primary_key=True, db_comment="Row id; audit rows name it.")
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="named_persons", db_comment="The child.")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="named_person_for",
        db_comment="The named person.",
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", db_comment="Unit of the named person.")
    role = models.CharField(max_length=30, choices=Role, db_comment="Role that makes the person eligible.")
    stage = models.CharField(_("skede"), max_length=20, choices=Stage, db_comment="Stage of the child's life.")
    start = models.DateField(_("från"), db_comment="First day of responsibility.")
    end = models.DateField(
        _("till"),
        null=True,
        blank=True,
        db_comment="First day the person is no longer responsible; empty while current.",
    )
    ended_reason = models.CharField(
        _("orsak till avslut"),
        max_length=200,
        choices=EndReason,
        blank=True,
        db_comment="Why responsibility ended: handover, service_ended or other; empty while current.",
    )
    owner_authority = models.ForeignKey(
        Authority, on_delete=models.PROTECT, related_name="+", db_comment="Authority of the named person."
    )
    category = models.CharField(max_length=30, default="named_person", db_comment="Information category.")

    objects = MaintainedQuerySet.as_manager()  # bulk writes keep the access relation current

    class Meta:
        db_table_comment = "Named-person history: at most one open assignment per child, periods never overlap."
        verbose_name = _("namngiven person")
        verbose_name_plural = _("namngivna personer")
        ordering = ["-start"]
        constraints = [
            models.UniqueConstraint(fields=["child"], condition=Q(end__isnull=True), name="one_current_named_person"),
            models.CheckConstraint(condition=Q(end__isnull=True) | Q(end__gt=models.F("start")), name="np_dates"),
        ]
        indexes = [
            models.Index(fields=["person", "end"]),
            # Covers "has a current named person" and "service ended" per child (the start page's count).
            models.Index(fields=["child"], include=["start", "end", "ended_reason"], name="np_child_periods"),
            # The named-person coverage KPI (evaluation.sql): open assignments in child order with their stage, and
            # the assignments ending on or after a day, each read from the index alone.
            models.Index(
                fields=["child"], include=["start", "stage"], condition=Q(end__isnull=True), name="np_open_child_stage"
            ),
            models.Index(fields=["end"], include=["child", "start", "stage"], name="np_end_child_stage"),
        ]

    def __str__(self) -> str:
        return f"{self.get_stage_display()}: {self.start} – {self.end or ''}"


class HandoverProposal(models.Model):
    """A proposed handover to a new stage; the receiving person accepts it."""

    class Status(models.TextChoices):
        OPEN = "open", _("Väntar på mottagaren")
        ACCEPTED = "accepted", _("Accepterad")
        SUPERSEDED = "superseded", _("Ersatt")

    id = models.BigAutoField(primary_key=True, db_comment="Row id; used in the acceptance page's URL.")
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="handovers", db_comment="The child.")
    stage = models.CharField(max_length=20, choices=Stage, db_comment="Stage the child is entering.")
    to_unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_comment="Receiving unit; empty when no unit is known and the child needs attention.",
    )
    to_role = models.CharField(max_length=30, choices=Role, db_comment="Role that may accept at the receiving unit.")
    due_date = models.DateField(db_comment="Day the new stage begins.")
    status = models.CharField(max_length=20, choices=Status, default=Status.OPEN, db_comment="Proposal state.")
    created_at = models.DateTimeField(auto_now_add=True, db_comment="When the proposal was made.")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_comment="Who accepted.",
    )
    decided_at = models.DateTimeField(null=True, blank=True, db_comment="When it was decided.")

    objects = MaintainedQuerySet.as_manager()  # bulk writes keep the access relation current

    class Meta:
        db_table_comment = "Handover proposals made from age and enrolments."
        verbose_name = _("överlämning")
        verbose_name_plural = _("överlämningar")
        constraints = [
            models.UniqueConstraint(fields=["child"], condition=Q(status="open"), name="one_open_handover"),
        ]
        indexes = [models.Index(fields=["to_unit", "status"]), models.Index(fields=["status", "due_date"])]

    def __str__(self) -> str:
        return f"{self.child_id} → {self.get_stage_display()} ({self.due_date})"


class HandoverSummary(models.Model):
    """What the outgoing named person passes on to the next one: a short text, a record of the writer's authority.

    It carries `child`, `owner_authority` and `category` (from the writer's unit type) like every
    record of child information, so `sharing.policy.records_for_user` alone decides who reads it:
    the receiver reads it when the receiver's authority owns it, or a consent in force (or a
    decision to disclose) opens the category to the receiver's authority.
    """

    # Short on purpose: what the next named person needs to know to begin, not the child's file.
    MAX_LENGTH = 2000

    id = models.BigAutoField(primary_key=True, db_comment="Row id; audit rows name it.")
    proposal = models.OneToOneField(
        HandoverProposal,
        on_delete=models.CASCADE,
        related_name="summary",
        db_comment="The handover the summary belongs to; one summary per handover.",
    )
    child = models.ForeignKey(
        Child, on_delete=models.CASCADE, related_name="handover_summaries", db_comment="The child."
    )
    owner_authority = models.ForeignKey(
        Authority, on_delete=models.PROTECT, related_name="+", db_comment="Authority of the outgoing named person."
    )
    category = models.CharField(
        max_length=30, choices=Category, db_comment="Information category, from the writer's unit type."
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        db_comment="The outgoing named person who wrote it.",
    )
    author_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", db_comment="The writer's unit as named person."
    )
    text = models.TextField(
        _("sammanfattning"),
        max_length=MAX_LENGTH,
        db_comment="Plain-text summary for the next named person; no personal numbers.",
    )
    created_at = models.DateTimeField(auto_now_add=True, db_comment="When it was first written.")
    updated_at = models.DateTimeField(auto_now=True, db_comment="When it was last changed.")

    class Meta:
        db_table_comment = "Summaries from the outgoing to the next named person; read only through the access policy."
        verbose_name = _("överlämningssammanfattning")
        verbose_name_plural = _("överlämningssammanfattningar")
        indexes = [models.Index(fields=["child", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.child_id}: {self.created_at:%Y-%m-%d}"
