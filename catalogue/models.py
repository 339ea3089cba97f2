"""The intervention catalogue: providers, their interventions, and the municipality's catalogue settings.

The catalogue holds no child data: it describes what support exists, for whom and how to get it.
Ages are whole years; -1 stands for pregnancy (the unborn child), so "from pregnancy to 6" is -1..6.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from organisations.models import Authority, Municipality, Unit
from wellbeing.indicators import Indicator

PREGNANCY = -1
OLDEST = 20
AGE_VALIDATORS = [MinValueValidator(PREGNANCY), MaxValueValidator(OLDEST)]
STALE_AFTER_DAYS = 60


class Level(models.TextChoices):
    UNIVERSAL = "universal", _("Universell")
    SELECTIVE = "selective", _("Selektiv")
    INDICATED = "indicated", _("Indikerad")


class Colour(models.TextChoices):
    """The intake function's four levels (Hässelby-Vällingby); each municipality names them its own way."""

    BLUE = "blue", _("Blå")
    GREEN = "green", _("Grön")
    ORANGE = "orange", _("Orange")
    RED = "red", _("Röd")


class Route(models.TextChoices):
    SELF = "self", _("Egen kontakt")
    REFERRAL = "referral", _("Remiss från personal")
    DECISION = "decision", _("Beslut av socialtjänsten")


class CatalogueSettings(models.Model):
    """How a municipality names the four intake levels and how old a waiting time may be before it is flagged."""

    id = models.BigAutoField(primary_key=True, db_comment="Row id.")
    municipality = models.OneToOneField(
        Municipality,
        on_delete=models.CASCADE,
        related_name="catalogue_settings",
        verbose_name=_("kommun"),
        db_comment="Municipality the settings apply to.",
    )
    blue_label = models.CharField(
        _("blå nivå"), max_length=120, default=_("Blå – universellt stöd"), db_comment="Words for the blue level."
    )
    green_label = models.CharField(
        _("grön nivå"),
        max_length=120,
        default=_("Grön – riktat stöd till riskgrupper"),
        db_comment="Words for the green level.",
    )
    orange_label = models.CharField(
        _("orange nivå"),
        max_length=120,
        default=_("Orange – förenklad utredning (1–14 dagar)"),
        db_comment="Words for the orange level.",
    )
    red_label = models.CharField(
        _("röd nivå"), max_length=120, default=_("Röd – fullständig utredning"), db_comment="Words for the red level."
    )
    stale_after_days = models.PositiveIntegerField(
        _("väntetid inaktuell efter (dagar)"),
        default=STALE_AFTER_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        db_comment="A waiting time confirmed longer ago than this is flagged and its provider reminded.",
    )
    contact_points = models.TextField(
        _("kontaktvägar"),
        blank=True,
        db_comment="The municipality's contact points shown in the public guide, one per line.",
    )

    class Meta:
        db_table_comment = "Per-municipality settings of the intervention catalogue."
        verbose_name = _("inställningar för insatskatalogen")
        verbose_name_plural = _("inställningar för insatskatalogen")

    def __str__(self) -> str:
        return str(self.municipality)

    def colour_label(self, colour: str) -> str:
        return str(getattr(self, f"{colour}_label", "")) if colour else ""


class Provider(models.Model):
    """Who offers interventions: a unit of an authority, or an outside organisation (unit and authority empty)."""

    id = models.BigAutoField(primary_key=True, db_comment="Row id.")
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="providers",
        verbose_name=_("kommun"),
        db_comment="Municipality whose catalogue lists the provider.",
    )
    name = models.CharField(_("namn"), max_length=200, db_comment="Provider name as families know it.")
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="providers",
        verbose_name=_("enhet"),
        db_comment="The unit that provides; its staff keep the provider's entries. Empty for an outside organisation.",
    )
    authority = models.ForeignKey(
        Authority,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="providers",
        verbose_name=_("myndighet"),
        db_comment="Authority of the unit (copied from it); empty for an outside organisation.",
    )
    phone = models.CharField(_("telefon"), max_length=40, blank=True, db_comment="Public phone number.")
    email = models.EmailField(_("e-post"), blank=True, db_comment="Public e-mail address.")
    website = models.URLField(_("webbplats"), blank=True, db_comment="Public web page.")
    address = models.CharField(_("besöksadress"), max_length=200, blank=True, db_comment="Visiting address.")
    opening_hours = models.CharField(
        _("öppettider"), max_length=200, blank=True, db_comment="When the provider can be reached, in plain words."
    )

    class Meta:
        db_table_comment = "Providers of interventions: units of authorities or outside organisations."
        verbose_name = _("utförare")
        verbose_name_plural = _("utförare")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="catalogue_provider_unique_name"),
            models.CheckConstraint(
                condition=Q(unit__isnull=True) | Q(authority__isnull=False), name="catalogue_provider_unit_authority"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_outside(self) -> bool:
        return self.unit_id is None


class Intervention(models.Model):
    """One intervention of one provider, as the catalogue describes it."""

    id = models.BigAutoField(primary_key=True, db_comment="Row id.")
    provider = models.ForeignKey(
        Provider,
        on_delete=models.PROTECT,
        related_name="interventions",
        verbose_name=_("utförare"),
        db_comment="Who offers the intervention.",
    )
    name = models.CharField(_("namn"), max_length=200, db_comment="Name of the intervention.")
    description = models.TextField(_("beskrivning"), db_comment="What it is, in plain Swedish.")
    description_en = models.TextField(_("beskrivning på engelska"), blank=True, db_comment="Optional English text.")
    target_group = models.CharField(
        _("målgrupp"), max_length=200, db_comment="For whom, in words (children, parents, staff …)."
    )
    min_age = models.SmallIntegerField(
        _("från ålder"), validators=AGE_VALIDATORS, db_comment="Youngest age in years; -1 is pregnancy."
    )
    max_age = models.SmallIntegerField(
        _("till ålder"), validators=AGE_VALIDATORS, db_comment="Oldest age in years (inclusive); -1 is pregnancy."
    )
    keywords = models.CharField(
        _("nyckelord"), max_length=300, blank=True, db_comment="Free keywords for search, separated by commas."
    )
    level = models.CharField(_("nivå"), max_length=12, choices=Level, db_comment="universal, selective or indicated.")
    colour = models.CharField(
        _("färgnivå"),
        max_length=8,
        choices=Colour,
        blank=True,
        db_comment="The intake level it answers to: blue, green, orange or red (empty when not used).",
    )
    route = models.CharField(
        _("hur man får insatsen"), max_length=10, choices=Route, db_comment="self, referral or decision."
    )
    needs_consent = models.BooleanField(
        _("kräver samtycke"), default=False, db_comment="True when the family's consent is needed."
    )
    needs_decision = models.BooleanField(
        _("kräver beslut"), default=False, db_comment="True when a social-services decision is needed."
    )
    capacity = models.CharField(
        _("kapacitet"), max_length=120, blank=True, db_comment="How many it takes, in words (e.g. 8 families a term)."
    )
    waiting_weeks = models.PositiveSmallIntegerField(
        _("väntetid i veckor"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(104)],
        db_comment="Current waiting time in weeks; empty when unknown.",
    )
    waiting_confirmed_on = models.DateField(
        _("väntetid bekräftad"), null=True, blank=True, db_comment="Day the provider last confirmed the waiting time."
    )
    evidence = models.CharField(
        _("kunskapsunderlag"), max_length=300, blank=True, db_comment="Evidence base, in words."
    )
    contact = models.CharField(
        _("kontakt"), max_length=300, blank=True, db_comment="How to get in touch about this intervention."
    )
    opening_hours = models.CharField(
        _("öppettider"), max_length=200, blank=True, db_comment="When, if it differs from the provider's."
    )
    public = models.BooleanField(
        _("visas för allmänheten"), default=False, db_comment="True when the public guide shows it."
    )
    updated_at = models.DateTimeField(auto_now=True, db_comment="Last change.")

    class Meta:
        db_table_comment = "Interventions of the catalogue: what, for whom, level, how to get it, waiting time."
        verbose_name = _("insats")
        verbose_name_plural = _("insatser")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "name"], name="catalogue_intervention_unique_name"),
            models.CheckConstraint(condition=Q(min_age__lte=F("max_age")), name="catalogue_intervention_ages"),
            models.CheckConstraint(
                condition=Q(min_age__gte=PREGNANCY) & Q(max_age__lte=OLDEST), name="catalogue_intervention_age_range"
            ),
        ]
        indexes = [models.Index(fields=["level"]), models.Index(fields=["public"])]

    def __str__(self) -> str:
        return self.name


class InterventionNeed(models.Model):
    """A wellbeing indicator an intervention answers to."""

    id = models.BigAutoField(primary_key=True, db_comment="Row id.")
    intervention = models.ForeignKey(
        Intervention, on_delete=models.CASCADE, related_name="needs", db_comment="The intervention."
    )
    indicator = models.CharField(max_length=20, choices=Indicator, db_comment="Wellbeing indicator code.")

    class Meta:
        db_table_comment = "The wellbeing indicators (SHANARRI) each intervention addresses."
        constraints = [
            models.UniqueConstraint(fields=["intervention", "indicator"], name="catalogue_need_once"),
        ]


class WaitingTimeReminder(models.Model):
    """A reminder to a provider that a waiting time has not been confirmed for too long; one per confirmation."""

    id = models.BigAutoField(primary_key=True, db_comment="Row id.")
    intervention = models.ForeignKey(
        Intervention, on_delete=models.CASCADE, related_name="reminders", db_comment="The intervention."
    )
    confirmed_on = models.DateField(
        null=True, db_comment="The stale confirmation day the reminder is about; empty when never confirmed."
    )
    created_on = models.DateField(db_comment="Day the reminder was made.")

    class Meta:
        db_table_comment = "Reminders of stale waiting times, made by the catalogue_waiting_times task."
        constraints = [
            models.UniqueConstraint(fields=["intervention", "confirmed_on"], name="catalogue_reminder_once"),
            models.UniqueConstraint(
                fields=["intervention"],
                condition=Q(confirmed_on__isnull=True),
                name="catalogue_reminder_once_unconfirmed",
            ),
        ]


class Referral(models.Model):
    """A child referred to an intervention: who asked, why, and how far it has come.

    A referral is a record of the child: it belongs to the referring authority and carries the plan's
    category, so the referrer's colleagues, the named person and the plan's participants read it under
    the access policy (`policy.records_for_user`); the provider's staff see it in their queue through
    `policy.referrals_for_provider`, without a wider view of the child.
    """

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Begärd")
        ACCEPTED = "accepted", _("Antagen")
        WAITING = "waiting", _("Väntar på start")
        STARTED = "started", _("Påbörjad")
        COMPLETED = "completed", _("Avslutad")
        DECLINED_BY_FAMILY = "declined_family", _("Avböjd av familjen")
        DECLINED_BY_PROVIDER = "declined_provider", _("Avböjd av utföraren")
        WITHDRAWN = "withdrawn", _("Återkallad")

    id = models.BigAutoField(primary_key=True, db_comment="Row id.")
    child = models.ForeignKey(
        "people.Child", on_delete=models.PROTECT, related_name="referrals", db_comment="The child referred."
    )
    intervention = models.ForeignKey(
        Intervention, on_delete=models.PROTECT, related_name="referrals", db_comment="The intervention referred to."
    )
    owner_authority = models.ForeignKey(
        Authority, on_delete=models.PROTECT, related_name="+", db_comment="The referring authority; owns the record."
    )
    category = models.CharField(max_length=30, default="plan", db_comment="Information category; always plan.")
    referred_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", db_comment="The staff user who referred."
    )
    plan_action = models.OneToOneField(
        "plans.Action",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referral",
        db_comment="The plan action the referral was made as, if any.",
    )
    reason = models.TextField(_("skäl till remissen"), db_comment="Why the child is referred, in plain words.")
    status = models.CharField(
        max_length=20, choices=Status, default=Status.REQUESTED, db_comment="Where the referral stands now."
    )
    status_note = models.TextField(
        _("kommentar"), blank=True, db_comment="The reason given with the latest change of status (a decline …)."
    )
    requested_on = models.DateField(db_comment="The day the referral was made.")
    accepted_on = models.DateField(null=True, blank=True, db_comment="The day the provider accepted it.")
    started_on = models.DateField(null=True, blank=True, db_comment="The day the support started.")
    closed_on = models.DateField(null=True, blank=True, db_comment="The day it was completed, declined or withdrawn.")
    updated_at = models.DateTimeField(auto_now=True, db_comment="When the referral last changed.")

    class Meta:
        db_table_comment = "Referrals of a child to an intervention of the catalogue, with status and dates."
        ordering = ["-requested_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(started_on__isnull=True) | Q(started_on__gte=F("requested_on")),
                name="catalogue_referral_starts_after_request",
            )
        ]

    CLOSED = (Status.COMPLETED, Status.DECLINED_BY_FAMILY, Status.DECLINED_BY_PROVIDER, Status.WITHDRAWN)

    @property
    def is_open(self) -> bool:
        return self.status not in self.CLOSED

    def waiting_days(self, today) -> int | None:
        """Return the days from request to start; while it has not started and is open, the days waited so far."""
        if self.started_on is not None:
            return (self.started_on - self.requested_on).days
        if self.is_open:
            return (today - self.requested_on).days
        return None


class SupportRequest(models.Model):
    """A request for support about a child, to the intake function: triaged to a colour and routed on.

    From a practitioner the request is the practitioner's authority's record; from a guardian or the young
    person it is the family's to share, made to the intake unit, whose authority then holds it. The
    intake unit's staff see it through `policy.requests_for_intake`.
    """

    class Source(models.TextChoices):
        PRACTITIONER = "practitioner", _("Yrkesverksam")
        GUARDIAN = "guardian", pgettext_lazy("en person", "Vårdnadshavare")  # one guardian: "Guardian"
        CHILD = "child", _("Barnet själv")

    class Status(models.TextChoices):
        RECEIVED = "received", _("Mottagen")
        TRIAGED = "triaged", _("Bedömd")
        ROUTED = "routed", _("Vidareförd")
        SUPPORTED = "supported", _("Stöd har börjat")

    class Route(models.TextChoices):
        PROVIDER = "provider", _("Till en utförare (remiss)")
        TEAM = "team", _("Till ett samverkansteam")
        PLAN = "plan", _("Till barnets plan")

    id = models.BigAutoField(primary_key=True, db_comment="Row id.")
    child = models.ForeignKey(
        "people.Child", on_delete=models.PROTECT, related_name="support_requests", db_comment="The child."
    )
    intake_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="support_requests", db_comment="The intake unit asked."
    )
    owner_authority = models.ForeignKey(
        Authority, on_delete=models.PROTECT, related_name="+", db_comment="The authority that holds the request."
    )
    category = models.CharField(max_length=30, default="plan", db_comment="Information category; always plan.")
    source = models.CharField(max_length=20, choices=Source, db_comment="practitioner, guardian or child.")
    requested_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", db_comment="Who asked (staff or family login)."
    )
    concern = models.TextField(_("vad gäller det"), db_comment="What the worry or need is, in the asker's words.")
    status = models.CharField(max_length=20, choices=Status, default=Status.RECEIVED, db_comment="Where it stands.")
    received_at = models.DateTimeField(db_comment="When the request reached the intake unit.")
    colour = models.CharField(
        _("nivå"), max_length=10, choices=Colour, blank=True, db_comment="The intake's level: blue, green, orange, red."
    )
    triage_reason = models.TextField(_("skäl till bedömningen"), blank=True, db_comment="Why this level.")
    triaged_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_comment="Who triaged."
    )
    triaged_at = models.DateTimeField(null=True, blank=True, db_comment="When it was triaged.")
    route = models.CharField(max_length=10, choices=Route, blank=True, db_comment="Where it was routed.")
    referral = models.OneToOneField(
        Referral,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="request",
        db_comment="The referral it was routed as, if to a provider.",
    )
    team = models.ForeignKey(
        "teams.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_comment="The team, if any."
    )
    routed_at = models.DateTimeField(null=True, blank=True, db_comment="When it was routed.")
    first_support_on = models.DateField(
        null=True, blank=True, db_comment="The day the first support started (a referral started, or recorded)."
    )

    class Meta:
        db_table_comment = "Requests for support through the one way in: triage, routing and time to first support."
        ordering = ["-received_at", "-pk"]

    def days_to_support(self) -> int | None:
        """Return the days from the request to the first support, once it has started."""
        if self.first_support_on is None:
            return None
        return (self.first_support_on - timezone.localdate(self.received_at)).days
