"""What opens a child's information beyond its owning authority, and what closes it.

Access assignments (a relation), consents (the normal ground for sharing), disclosure decisions
(sharing without consent as the law allows, and recorded refusals), emergency access, reports of
concern (the statutory route to social services) and blocks (spärr). The rules that combine them
live in `sharing.policy`; these models only hold the facts and their history."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.maintained import MaintainedQuerySet
from organisations.models import Authority, Municipality, Unit
from people.models import Child, Guardian
from sharing.categories import Category


class AccessAssignment(models.Model):
    """A staff user explicitly assigned to a child for a period, with a recorded reason."""

    id = models.BigAutoField(primary_key=True, db_comment="Row id; audit rows name it.")

    child = models.ForeignKey(
        Child, on_delete=models.CASCADE, related_name="access_assignments", db_comment="The child."
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_assignments", db_comment="Staff user."
    )
    reason = models.CharField(_("skäl"), max_length=300, db_comment="Why the user needs access.")
    sees_protected_details = models.BooleanField(
        _("behöver skyddade uppgifter"),
        default=False,
        help_text=_("Kräver en dokumenterad sekretessprövning i skälet."),
        db_comment="True if a secrecy assessment found an explicit need to see protected address/unit.",
    )
    valid_from = models.DateField(_("från"), db_comment="First day.")
    valid_to = models.DateField(_("till"), db_comment="Last day; assignments always expire.")
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_comment="Who granted it."
    )
    created_at = models.DateTimeField(auto_now_add=True, db_comment="When it was granted.")

    objects = MaintainedQuerySet.as_manager()  # bulk writes keep the access relation current

    class Meta:
        db_table_comment = "Explicit, time-limited access of a staff user to a child."
        verbose_name = _("tilldelad åtkomst")
        verbose_name_plural = _("tilldelade åtkomster")
        constraints = [
            models.CheckConstraint(condition=Q(valid_to__gte=models.F("valid_from")), name="assignment_dates"),
        ]


class SharingRules(models.Model):
    """A municipality's settings for consent and emergency access; defaults follow DOMAIN.md."""

    class ChildConsent(models.TextChoices):
        WITH_GUARDIANS = "with_guardians", _("Barnets samtycke krävs, tillsammans med vårdnadshavarnas")
        ALONE = "alone", _("Barnets eget samtycke räcker")

    id = models.BigAutoField(primary_key=True, db_comment="Row id.")
    municipality = models.OneToOneField(
        Municipality, on_delete=models.CASCADE, related_name="sharing_rules", db_comment="Municipality."
    )
    child_view_age = models.PositiveSmallIntegerField(
        _("barnets inställning efterfrågas från ålder"),
        default=12,
        help_text=_("Standard 12 år. Från den åldern frågas barnet om sin inställning, och den skrivs in."),
        db_comment="Age from which the child's own view on a consent is asked and recorded.",
    )
    child_consent_age = models.PositiveSmallIntegerField(
        _("barnets eget samtycke från ålder"),
        default=15,
        help_text=_(
            "Standard 15 år, satt av kommunen. Från den åldern krävs också barnets eget samtycke och godkännande "
            "av planen. Enligt OSL 12 kap. 3 § avgörs barnets rätt att bestämma själv av ålder och mognad, och "
            "mognaden bedöms i varje enskilt fall. Från 18 år bestämmer den unga personen alltid ensam: det följer "
            "av lag och kan inte ändras här."
        ),
        db_comment="Age from which the child's own consent is needed (OSL 12 kap. 3 §: by age and maturity).",
    )
    child_consent = models.CharField(
        _("barnets samtycke"),
        max_length=20,
        choices=ChildConsent,
        default=ChildConsent.WITH_GUARDIANS,
        help_text=_("Standard: tillsammans med vårdnadshavarnas, från åldern ovan och fram till 18 år."),
        db_comment="From child_consent_age: whether the child's consent is needed with the guardians' or alone.",
    )
    child_login_age = models.PositiveSmallIntegerField(
        _("barnet kan logga in från ålder"),
        default=13,
        help_text=_("Standard 13 år. Från 18 år ser den unga personen alltid sina egna uppgifter."),
        db_comment="Age from which the child may use the family view (always from 18, whatever this says).",
    )
    consent_max_days = models.PositiveSmallIntegerField(
        _("längsta giltighet för samtycke (dagar)"), default=365, db_comment="Longest period a consent may run."
    )
    expiry_warning_days = models.PositiveSmallIntegerField(
        _("varna före utgång (dagar)"), default=30, db_comment="Days before expiry a consent is flagged."
    )
    emergency_hours = models.PositiveSmallIntegerField(
        _("nödåtkomst (timmar)"), default=24, db_comment="How long emergency access lasts."
    )
    team_no_answer_days = models.PositiveSmallIntegerField(
        _("obesvarad begäran om samtycke till ett team efter (dagar)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_(
            "Standard 30 dagar. En begäran utan svar efter så många dagar räknas som obesvarad i teamens statistik."
        ),
        db_comment="Days after which a request for consent to a team without an answer counts as 'no answer'.",
    )

    class Meta:
        db_table_comment = "Per-municipality settings for consent, the child's own say and emergency access."
        verbose_name = _("regler för informationsdelning")
        verbose_name_plural = _("regler för informationsdelning")

    def __str__(self) -> str:
        return str(self.municipality)


class Consent(models.Model):
    """A consent that lifts secrecy for some categories of a child's information towards authorities.

    The recipients are the authorities named in `recipients`, with `to_plan_participants` the
    authorities taking part in the child's open plan, and the authorities the current members of the
    `recipient_teams` take part for, both at the moment of reading. It is active while
    `status` is given and the moment lies in [valid_from, valid_until); the policy checks the moment
    itself, so expiry takes effect without any task having run.
    """

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Väntar på svar")
        GIVEN = "given", _("Lämnat")
        DECLINED = "declined", _("Inte lämnat")
        WITHDRAWN = "withdrawn", _("Återkallat")
        EXPIRED = "expired", _("Upphört")
        SUPERSEDED = "superseded", _("Ersatt av ett förlängt samtycke")
        CANCELLED = "cancelled", _("Begäran återtagen")
        CUSTODY_ENDED = "custody_ended", _("Upphört när barnet fyllde 18")

    id = models.BigAutoField(primary_key=True, db_comment="Row id; audit rows name it as the basis of shared reads.")
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="consents", db_comment="The child.")
    owner_authority = models.ForeignKey(
        Authority, on_delete=models.PROTECT, related_name="+", db_comment="Authority that asked for and keeps it."
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_comment="Staff user who asked."
    )
    purpose = models.TextField(_("syfte"), db_comment="What the information will be used for, in plain words.")
    recipients = models.ManyToManyField(Authority, related_name="+", verbose_name=_("mottagare"))
    recipient_teams = models.ManyToManyField(
        "teams.Team",
        blank=True,
        related_name="+",
        verbose_name=_("team som mottagare"),
        help_text=_("Myndigheterna som teamets nuvarande medlemmar deltar för får uppgifterna, så länge de deltar."),
    )
    to_plan_participants = models.BooleanField(
        _("deltagarna i barnets plan"),
        default=False,
        db_comment=(
            "True if the authorities taking part in the child's open plan (its owner and its participants' "
            "authorities) are recipients too, judged at each read: they stop being recipients when the plan "
            "closes or they leave it."
        ),
    )
    valid_from = models.DateTimeField(_("gäller från"), db_comment="Start of the consent.")
    valid_until = models.DateTimeField(_("gäller till"), db_comment="End of the consent (exclusive); always set.")
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.REQUESTED, db_comment="State of the consent."
    )
    replaces = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_comment="The consent this one extends; it is superseded when this one is given.",
    )
    ended_at = models.DateTimeField(
        null=True, blank=True, db_comment="When it was withdrawn, declined, superseded or found expired."
    )
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_comment="Who withdrew it (a guardian, the child, or staff on their word).",
    )
    end_note = models.TextField(_("anteckning"), blank=True, db_comment="Optional note on withdrawal; never required.")
    created_at = models.DateTimeField(auto_now_add=True, db_comment="When it was requested or recorded.")

    class Meta:
        db_table_comment = "Consents (samtycke, OSL 12 kap.) that open categories of a child's information."
        verbose_name = _("samtycke")
        verbose_name_plural = _("samtycken")
        constraints = [
            models.CheckConstraint(condition=Q(valid_until__gt=models.F("valid_from")), name="consent_period"),
        ]
        indexes = [models.Index(fields=["child", "status"]), models.Index(fields=["status", "valid_until"])]

    def __str__(self) -> str:
        return f"{self.child_id}: {self.get_status_display()}"


class ConsentCategory(models.Model):
    """One information category a consent covers."""

    id = models.BigAutoField(primary_key=True, db_comment="Row id.")
    consent = models.ForeignKey(Consent, on_delete=models.CASCADE, related_name="categories", db_comment="Consent.")
    category = models.CharField(max_length=30, choices=Category, db_comment="Information category covered.")

    class Meta:
        db_table_comment = "Information categories each consent covers."
        constraints = [models.UniqueConstraint(fields=["consent", "category"], name="consent_category_unique")]


class ConsentParty(models.Model):
    """A guardian or the child, and their answer to a consent."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("Inte svarat")
        GIVEN = "given", _("Samtycker")
        DECLINED = "declined", _("Samtycker inte")
        VIEW_ONLY = "view_only", _("Barnets inställning")

    class Method(models.TextChoices):
        DIGITAL = "digital", _("I familjevyn")
        WRITTEN = "written", _("Skriftligt")
        ORAL = "oral", _("Muntligt")

    id = models.BigAutoField(primary_key=True, db_comment="Row id.")
    consent = models.ForeignKey(Consent, on_delete=models.CASCADE, related_name="parties", db_comment="Consent.")
    guardian = models.ForeignKey(
        Guardian, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_comment="Guardian, if one."
    )
    is_child = models.BooleanField(default=False, db_comment="True if the party is the child.")
    decision = models.CharField(
        _("svar"), max_length=20, choices=Decision, default=Decision.PENDING, db_comment="The party's answer."
    )
    view = models.TextField(
        _("inställning med egna ord"),
        blank=True,
        db_comment="The party's view in their own words (the child's, above all).",
    )
    decided_at = models.DateTimeField(null=True, blank=True, db_comment="When the answer was given.")
    method = models.CharField(max_length=20, choices=Method, blank=True, db_comment="How the answer was given.")
    documented_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_comment="Staff user who documented a written or oral answer.",
    )
    evidence = models.FileField(
        _("underlag"), upload_to="consent-evidence/%Y/", blank=True, db_comment="Uploaded signed form, if any."
    )
    evidence_note = models.TextField(_("anteckning"), blank=True, db_comment="Note documenting an oral answer.")

    class Meta:
        db_table_comment = "Each guardian's and the child's answer to a consent."
        constraints = [
            models.CheckConstraint(
                condition=Q(guardian__isnull=False, is_child=False) | Q(guardian__isnull=True, is_child=True),
                name="consent_party_one_kind",
            ),
            models.UniqueConstraint(fields=["consent", "guardian"], name="consent_party_guardian_once"),
            models.UniqueConstraint(fields=["consent"], condition=Q(is_child=True), name="consent_party_child_once"),
        ]


class ConsentEvent(models.Model):
    """The history of a consent, in the family's terms: asked, given, declined, limited, extended, withdrawn."""

    class Kind(models.TextChoices):
        REQUESTED = "requested", _("Begärt")
        ANSWERED = "answered", _("Svar registrerat")
        GIVEN = "given", _("Samtycke lämnat")
        DECLINED = "declined", _("Samtycke inte lämnat")
        LIMITED = "limited", _("Begränsat")
        EXTENDED = "extended", _("Förlängt eller utökat")
        WITHDRAWN = "withdrawn", _("Återkallat")
        EXPIRED = "expired", _("Upphört (tiden gick ut)")
        CANCELLED = "cancelled", _("Begäran återtagen")
        CUSTODY_ENDED = "custody_ended", _("Upphört när barnet fyllde 18 (vårdnadshavarnas samtycke)")

    id = models.BigAutoField(primary_key=True, db_comment="Row id.")
    consent = models.ForeignKey(Consent, on_delete=models.CASCADE, related_name="events", db_comment="Consent.")
    kind = models.CharField(max_length=20, choices=Kind, db_comment="What happened.")
    at = models.DateTimeField(db_comment="When.")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_comment="Who did it; empty for the scheduled expiry.",
    )
    details = models.JSONField(default=dict, blank=True, db_comment="Before/after scope for limits and extensions.")

    class Meta:
        db_table_comment = "History of each consent."
        ordering = ["at", "pk"]


class LegalBasis(models.TextChoices):
    """Grounds for disclosure without consent (DOMAIN.md B3); section numbers tagged [M] there are to verify."""

    NECESSARY_DISCLOSURE = "osl_10_2", _("Nödvändigt utlämnande (OSL 10 kap. 2 §)")
    DUTY_TO_INFORM = "osl_10_28", _("Uppgiftsskyldighet enligt lag (OSL 10 kap. 28 §)")
    POLICE_UNDER_21 = "osl_10_18a", _("Socialtjänsten till polisen, person under 21 år (OSL 10 kap. 18 a §)")
    HARM_TEST = "harm_test", _("Menprövning: det står klart att uppgiften kan lämnas utan men")


class DisclosureDecision(models.Model):
    """An authorised decision to disclose, or not to disclose, categories of the owning authority's information."""

    class Outcome(models.TextChoices):
        DISCLOSE = "disclose", _("Lämna ut")
        REFUSE = "refuse", _("Lämna inte ut")

    id = models.BigAutoField(primary_key=True, db_comment="Row id; audit rows name it as the basis of shared reads.")
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="disclosures", db_comment="The child.")
    owner_authority = models.ForeignKey(
        Authority, on_delete=models.PROTECT, related_name="+", db_comment="Disclosing authority; owns the decision."
    )
    outcome = models.CharField(_("beslut"), max_length=20, choices=Outcome, db_comment="Disclose or refuse.")
    legal_basis = models.CharField(
        _("rättslig grund"), max_length=20, choices=LegalBasis, blank=True, db_comment="Legal basis of a disclosure."
    )
    recipients = models.ManyToManyField(Authority, related_name="+", verbose_name=_("mottagare"))
    purpose = models.TextField(_("syfte"), db_comment="What the recipient needs the information for.")
    necessary = models.TextField(_("varför nödvändigt"), db_comment="Why the disclosure is (or is not) necessary.")
    relevant = models.TextField(_("varför relevant"), db_comment="Why the information is relevant to the purpose.")
    proportionate = models.TextField(
        _("varför proportionerligt"), db_comment="Why it is proportionate and no less intrusive way exists."
    )
    valid_from = models.DateTimeField(_("gäller från"), db_comment="Start of the disclosure.")
    valid_until = models.DateTimeField(_("gäller till"), db_comment="End of the disclosure (exclusive).")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_comment="Who decided."
    )
    decided_at = models.DateTimeField(auto_now_add=True, db_comment="When it was decided.")
    revoked_at = models.DateTimeField(null=True, blank=True, db_comment="When it was revoked before its end.")
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_comment="Who."
    )

    class Meta:
        db_table_comment = "Decisions to disclose (or not) without consent, with the legal basis and justification."
        verbose_name = _("beslut om utlämnande")
        verbose_name_plural = _("beslut om utlämnande")
        constraints = [
            models.CheckConstraint(condition=Q(valid_until__gt=models.F("valid_from")), name="disclosure_period"),
            models.CheckConstraint(
                condition=Q(outcome="refuse") | ~Q(legal_basis=""), name="disclosure_needs_legal_basis"
            ),
        ]


class DisclosureCategory(models.Model):
    """One information category a disclosure decision covers."""

    id = models.BigAutoField(primary_key=True, db_comment="Row id.")
    decision = models.ForeignKey(
        DisclosureDecision, on_delete=models.CASCADE, related_name="categories", db_comment="Decision."
    )
    category = models.CharField(max_length=30, choices=Category, db_comment="Information category covered.")

    class Meta:
        db_table_comment = "Information categories each disclosure decision covers."
        constraints = [models.UniqueConstraint(fields=["decision", "category"], name="disclosure_category_unique")]


class EmergencyAccess(models.Model):
    """Time-limited access to another authority's information about a child in an emergency, reviewed afterwards."""

    class Review(models.TextChoices):
        PENDING = "pending", _("Väntar på granskning")
        JUSTIFIED = "justified", _("Befogad")
        UNJUSTIFIED = "unjustified", _("Inte befogad")

    id = models.BigAutoField(primary_key=True, db_comment="Row id; audit rows name it as the basis of reads.")
    child = models.ForeignKey(
        Child, on_delete=models.CASCADE, related_name="emergency_accesses", db_comment="The child."
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_comment="Staff user given access."
    )
    owner_authority = models.ForeignKey(
        Authority, on_delete=models.PROTECT, related_name="+", db_comment="Authority whose information is opened."
    )
    reason = models.TextField(_("skäl"), db_comment="Why it could not wait (required).")
    started_at = models.DateTimeField(db_comment="Start; the user re-authenticated just before.")
    ends_at = models.DateTimeField(db_comment="End (exclusive), from the municipality's emergency_hours.")
    ended_at = models.DateTimeField(null=True, blank=True, db_comment="When the user ended it early.")
    review = models.CharField(max_length=20, choices=Review, default=Review.PENDING, db_comment="Review outcome.")
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_comment="Manager of the owning authority who reviewed it.",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True, db_comment="When it was reviewed.")
    review_note = models.TextField(blank=True, db_comment="The reviewer's assessment.")

    class Meta:
        db_table_comment = (
            "Emergency access (nödåtkomst): time-limited, re-authenticated, reviewed, shown to the family."
        )
        verbose_name = _("nödåtkomst")
        verbose_name_plural = _("nödåtkomster")
        constraints = [models.CheckConstraint(condition=Q(ends_at__gt=models.F("started_at")), name="emergency_period")]
        indexes = [models.Index(fields=["owner_authority", "review"])]


class ReportOfConcern(models.Model):
    """A report of concern (orosanmälan) to social services; social services owns it from the start."""

    class Feedback(models.TextChoices):
        PENDING = "pending", _("Inte bedömd ännu")
        INVESTIGATION_OPENED = "opened", _("Utredning har inletts")
        NOT_OPENED = "not_opened", _("Utredning inleds inte")
        ALREADY_OPEN = "already_open", _("Utredning pågår redan")

    id = models.BigAutoField(primary_key=True, db_comment="Row id; also the receipt number.")
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="reports", db_comment="The child.")
    owner_authority = models.ForeignKey(
        Authority, on_delete=models.PROTECT, related_name="+", db_comment="Social services authority that owns it."
    )
    to_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", db_comment="Social services unit that receives it."
    )
    category = models.CharField(
        max_length=30, choices=Category, default=Category.SOCIAL, db_comment="Information category (social)."
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_comment="Staff user who reported."
    )
    reporter_authority = models.ForeignKey(
        Authority, on_delete=models.PROTECT, related_name="+", db_comment="The reporter's authority."
    )
    what_happened = models.TextField(_("vad har hänt"), db_comment="What the reporter saw or heard, plainly.")
    child_words = models.TextField(_("barnets egna ord"), blank=True, db_comment="What the child said, if anything.")
    immediate_danger = models.BooleanField(
        _("akut fara"), default=False, db_comment="True if the reporter judged the child in immediate danger."
    )
    guardians_informed = models.BooleanField(
        _("vårdnadshavarna informerade"), default=False, db_comment="Whether the guardians were told of the report."
    )
    not_informed_reason = models.TextField(
        _("varför inte informerade"), blank=True, db_comment="Why the guardians were not told (e.g. risk to the child)."
    )
    created_at = models.DateTimeField(auto_now_add=True, db_comment="When the report was made.")
    feedback = models.CharField(
        max_length=20, choices=Feedback, default=Feedback.PENDING, db_comment="What the reporter is told back."
    )
    feedback_at = models.DateTimeField(null=True, blank=True, db_comment="When feedback was given.")
    feedback_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_comment="Social worker who gave feedback.",
    )

    objects = MaintainedQuerySet.as_manager()  # bulk writes keep the access relation current

    class Meta:
        db_table_comment = "Reports of concern (orosanmälan) to social services; the reporter keeps a receipt only."
        verbose_name = _("orosanmälan")
        verbose_name_plural = _("orosanmälningar")
        indexes = [models.Index(fields=["to_unit", "feedback"]), models.Index(fields=["reporter", "created_at"])]


class Block(models.Model):
    """A block (spärr): an owning authority closes a category of its information to everyone else."""

    class Ground(models.TextChoices):
        CHILD_REQUEST = "child_request", _("Barnets begäran (tillräcklig mognad)")
        LAW = "law", _("Stöd i lag (t.ex. sekretess till skydd för barnet)")

    id = models.BigAutoField(primary_key=True, db_comment="Row id.")
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="blocks", db_comment="The child.")
    owner_authority = models.ForeignKey(
        Authority, on_delete=models.PROTECT, related_name="+", db_comment="Authority whose information is blocked."
    )
    category = models.CharField(max_length=30, choices=Category, db_comment="Blocked information category.")
    ground = models.CharField(_("grund"), max_length=20, choices=Ground, db_comment="Why the block exists.")
    reason = models.TextField(_("motivering"), db_comment="Recorded reason for not sharing.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_comment="Who placed it."
    )
    created_at = models.DateTimeField(auto_now_add=True, db_comment="When it was placed.")
    lifted_at = models.DateTimeField(null=True, blank=True, db_comment="When it was lifted (after re-authentication).")
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_comment="Who."
    )
    lift_reason = models.TextField(blank=True, db_comment="Why it was lifted.")

    class Meta:
        db_table_comment = "Blocks (spärr) that close an authority's information even where consent would open it."
        verbose_name = _("spärr")
        verbose_name_plural = _("spärrar")
        constraints = [
            models.UniqueConstraint(
                fields=["child", "owner_authority", "category"],
                condition=Q(lifted_at__isnull=True),
                name="one_active_block_per_category",
            )
        ]


class FamilyNotice(models.Model):
    """A record that the family was informed of a share that happens without consent (inform, don't ask)."""

    id = models.BigAutoField(primary_key=True, db_comment="Row id.")
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="family_notices", db_comment="The child.")
    owner_authority = models.ForeignKey(
        Authority, on_delete=models.PROTECT, related_name="+", db_comment="Authority that shares and informs."
    )
    legal_basis = models.CharField(
        _("rättslig grund"), max_length=20, choices=LegalBasis, db_comment="Why no consent is asked."
    )
    what = models.TextField(_("vad som lämnas och till vem"), db_comment="What is shared with whom, in plain words.")
    informed_how = models.CharField(_("hur familjen informerades"), max_length=200, db_comment="How and when.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_comment="Who informed."
    )
    created_at = models.DateTimeField(auto_now_add=True, db_comment="When it was recorded.")

    class Meta:
        db_table_comment = "Families informed of shares that happen anyway (statutory report or duty)."
        verbose_name = _("information till familjen")
        verbose_name_plural = _("information till familjen")


class LegalReference(models.Model):
    """One version of a legal provision the pages cite, in force for a period: a law change is a new row, not new code.

    `sharing.legal.reference_in_force(key)` picks the version in force on a day. Section numbers that
    could not be checked against the current statute are stored with `verified` off and shown as to verify.
    """

    id = models.BigAutoField(primary_key=True, db_comment="Row id.")
    key = models.CharField(
        _("nyckel"),
        max_length=50,
        help_text=_(
            "Vad hänvisningen används till i Samplan, till exempel duty_to_report. Samma nyckel för varje version."
        ),
        db_comment="What the reference is used for (e.g. duty_to_report); the same for every version.",
    )
    law = models.CharField(
        _("lag"),
        max_length=200,
        help_text=_("Till exempel Socialtjänstlag (2025:400)."),
        db_comment="Statute and SFS number.",
    )
    short_law = models.CharField(
        _("lagens förkortning"),
        max_length=50,
        help_text=_("Till exempel SoL (2025:400)."),
        db_comment="Short form of the statute used in citations.",
    )
    provision = models.CharField(
        _("kapitel och paragraf"),
        max_length=100,
        blank=True,
        help_text=_("Till exempel 14 kap. 1 §. Lämna tomt om paragrafen inte är fastställd."),
        db_comment="Chapter and section, e.g. '14 kap. 1 §'; empty while not established.",
    )
    title = models.CharField(
        _("rubrik"), max_length=200, db_comment="What the provision says, in a few words (Swedish)."
    )
    valid_from = models.DateField(_("gäller från"), db_comment="First day this version is in force.")
    valid_until = models.DateField(
        _("gäller till och med"), null=True, blank=True, db_comment="Last day in force; empty while in force."
    )
    verified = models.BooleanField(
        _("kontrollerad"),
        default=False,
        help_text=_(
            "Kryssa i när kapitel och paragraf är kontrollerade mot lagtexten i kraft. "
            "Annars visas de som att verifiera."
        ),
        db_comment="True once chapter and section were checked against the statute in force.",
    )
    note = models.TextField(
        _("anteckning"), blank=True, db_comment="Source, what is unverified, and proposals that may change it."
    )

    class Meta:
        db_table_comment = "Versioned legal references (law, chapter, section) that pages cite; one row per version."
        verbose_name = _("lagrumshänvisning")
        verbose_name_plural = _("lagrumshänvisningar")
        ordering = ["key", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["key", "valid_from"], name="legal_reference_one_version_per_day"),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="legal_reference_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.citation

    @property
    def citation(self) -> str:
        """Return the citation as pages print it, saying so when chapter and section are not verified."""
        if not self.provision:
            return _("%(law)s (kapitel och paragraf att verifiera)") % {"law": self.short_law}
        if not self.verified:
            return _("%(provision)s %(law)s (att verifiera)") % {"provision": self.provision, "law": self.short_law}
        return f"{self.provision} {self.short_law}"


class AccessRelation(models.Model):
    """One precomputed reason a staff user may see a child, valid over an interval of days.

    Derived from the rules in `sharing.policy.relations.RELATIONS` and kept current in the same
    transaction as every write to its sources (`sharing.access_relation`); never written by hand.
    A child is visible to a user on a day when at least one of the user's rows for it is valid that
    day. The child's protection is read from the child row when the relation is read.
    """

    id = models.BigAutoField(primary_key=True, db_comment="Row id.")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        db_comment="The staff user who may see the child (rows go with the user, see sharing.access_relation).",
    )
    child = models.ForeignKey(
        Child,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        db_comment="The child (rows go with the child, see sharing.access_relation).",
    )
    basis = models.CharField(max_length=30, db_comment="Basis of access the rule gives (policy.Basis).")
    rank = models.PositiveSmallIntegerField(db_comment="Strength of the basis: the rule's place in RELATIONS.")
    source_id = models.BigIntegerField(db_comment="Row of the rule's source model (enrolment, assignment …).")
    membership_id = models.BigIntegerField(
        null=True, blank=True, db_comment="The user's membership a unit-based rule joined; empty otherwise."
    )
    valid_from = models.DateField(db_comment="First day the row gives access.")
    valid_to = models.DateField(null=True, blank=True, db_comment="Last day it gives access; empty while open.")
    shows_identity = models.BooleanField(
        db_comment="The row itself shows a protected child's identity (named person, secrecy assessment)."
    )
    name_key = models.CharField(max_length=210, db_comment="Child's normalised family and given name: sort key.")
    search_key = models.CharField(max_length=210, db_comment="Child's normalised name words, for prefix search.")
    birth_date = models.DateField(db_comment="Child's birth date: sort key.")

    class Meta:
        db_table_comment = "Precomputed access relation: who may see which child, on what basis, from when to when."
        indexes = [
            models.Index(fields=["user", "name_key", "child"], name="accessrel_user_name"),
            models.Index(fields=["user", "birth_date", "name_key", "child"], name="accessrel_user_born"),
            # Covers the day filter: visible_children reads a user's children from the index alone.
            models.Index(
                fields=["user", "child"], include=["valid_from", "valid_to"], name="accessrel_user_child_days"
            ),
            models.Index(fields=["child"], name="accessrel_child"),
            models.Index(fields=["basis", "source_id"], name="accessrel_source"),
        ]


class ChildSortKeys(models.Model):
    """A child's name folded for sorting and search, computed once per name (`sharing.access_relation`).

    The folding (Swedish å ä ö after z, other accents removed) is written in Python once; the access
    relation's rows copy these keys in SQL, so the relation is derived in the database with
    INSERT … SELECT. Kept current on every write to a child's name; never written by hand.
    """

    child = models.OneToOneField(
        Child,
        primary_key=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="sort_keys",
        db_comment="The child (the row goes with the child, see sharing.access_relation).",
    )
    name_key = models.CharField(max_length=210, db_comment="Child's normalised family and given name: sort key.")
    search_key = models.CharField(max_length=210, db_comment="Child's normalised name words, for prefix search.")

    class Meta:
        db_table_comment = "Children's normalised name keys, copied into the precomputed access relation."
