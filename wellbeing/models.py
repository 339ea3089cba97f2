"""The practice model's records: the chronology, the five questions, wellbeing assessments and instruments.

Every record of child information carries `child`, `owner_authority` (the authority of the user
who made it) and `category` (from the author's unit type), so `sharing.policy.records_for_user`
decides who sees it. Chronology entries are append-only: a correction is a new entry pointing at
the one it corrects, and on PostgreSQL a trigger refuses UPDATE and DELETE (migration 0002).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from organisations.models import Authority, Municipality, Unit
from people.models import Child
from sharing.categories import Category
from wellbeing.indicators import Indicator


def _child(related_name: str) -> models.ForeignKey:
    # PROTECT: a child with practice-model records is never deleted by the application.
    return models.ForeignKey(Child, on_delete=models.PROTECT, related_name=related_name, db_comment="The child.")


def _owner() -> models.ForeignKey:
    return models.ForeignKey(
        Authority, on_delete=models.PROTECT, related_name="+", db_comment="Authority of the user who made the record."
    )


def _category() -> models.CharField:
    return models.CharField(
        max_length=30, choices=Category, db_comment="Information category, from the author's unit type."
    )


class ChronologyEntry(models.Model):
    """One event in the child's chronology: a concern, a strength or a significant event. Never changed."""

    class Kind(models.TextChoices):
        CONCERN = "concern", _("Oro")
        STRENGTH = "strength", _("Styrka")
        EVENT = "event", _("Betydelsefull händelse")

    class Impact(models.TextChoices):
        POSITIVE = "positive", _("Positiv")
        NEGATIVE = "negative", _("Negativ")
        NEUTRAL = "neutral", _("Neutral")

    id = models.BigAutoField(primary_key=True, db_comment="Row id; shown as the entry number.")
    child = _child("chronology_entries")
    owner_authority = _owner()
    category = _category()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_comment="Staff user who wrote it."
    )
    author_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", db_comment="The author's unit when writing it."
    )
    kind = models.CharField(_("typ av post"), max_length=10, choices=Kind, db_comment="concern, strength or event.")
    start_date = models.DateField(_("datum"), db_comment="Date of the event, or first day of a period.")
    end_date = models.DateField(_("till och med"), null=True, blank=True, db_comment="Last day of a period, if any.")
    what_happened = models.TextField(_("vad hände"), db_comment="What happened, plainly and factually.")
    source = models.CharField(
        _("källa"), max_length=300, db_comment="Who saw or told it (practitioner, agency, the child ...)."
    )
    impact = models.CharField(
        _("påverkan på barnet"), max_length=10, choices=Impact, db_comment="positive, negative or neutral."
    )
    action_taken = models.TextField(_("åtgärd"), blank=True, db_comment="What was done about it, if anything.")
    created_at = models.DateTimeField(auto_now_add=True, db_comment="When the entry was saved.")
    corrects = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        db_comment="The entry this one corrects; both stay visible.",
    )

    class Meta:
        db_table_comment = "The child's chronology: append-only entries; corrections are new rows linked to the old."
        verbose_name = _("kronologipost")
        verbose_name_plural = _("kronologiposter")
        indexes = [
            models.Index(fields=["child", "start_date"]),
            # Each child's concerns in date order (the first concern, re-actualisation: evaluation.sql).
            models.Index(fields=["child", "start_date"], condition=Q(kind="concern"), name="chronology_concerns"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")), name="entry_period_ordered"
            )
        ]


class EntryIndicator(models.Model):
    """A wellbeing indicator a chronology entry touches (a row each, so filtering stays in SQL)."""

    id = models.BigAutoField(primary_key=True, db_comment="Row id.")
    entry = models.ForeignKey(
        ChronologyEntry, on_delete=models.PROTECT, related_name="indicators", db_comment="The entry."
    )
    indicator = models.CharField(max_length=20, choices=Indicator, db_comment="SHANARRI indicator code.")

    class Meta:
        db_table_comment = "Wellbeing indicators each chronology entry touches; append-only like the entries."
        constraints = [models.UniqueConstraint(fields=["entry", "indicator"], name="entry_indicator_once")]


class FiveQuestions(models.Model):
    """The practitioner's answers to the five questions about a concern, and where they led."""

    class Outcome(models.TextChoices):
        # The exit points of the flow; `wellbeing.flow.next_step` maps each to what happens next.
        HANDLED_HERE = "handled_here", _("Hanteras inom min verksamhet")
        NEEDS_OTHERS = "needs_others", _("Behöver stöd från andra verksamheter")

    class SuspectsHarm(models.TextChoices):
        # Asked before any plan or consent request: the duty to report comes first (SoL, LegalReference).
        YES = "yes", _("Ja")
        NO = "no", _("Nej")
        UNSURE = "unsure", _("Osäker")

    id = models.BigAutoField(primary_key=True, db_comment="Row id.")
    entry = models.ForeignKey(
        ChronologyEntry, on_delete=models.PROTECT, related_name="five_questions", db_comment="The concern asked about."
    )
    child = _child("five_questions")
    owner_authority = _owner()
    category = _category()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_comment="Practitioner who answered."
    )
    in_the_way = models.TextField(db_comment="1. What is getting in the way of the child's wellbeing?")
    information = models.TextField(db_comment="2. Do I have all the information I need to help?")
    i_can_do = models.TextField(db_comment="3. What can I do now to help?")
    agency_can_do = models.TextField(db_comment="4. What can my agency do now to help?")
    others_needed = models.TextField(blank=True, db_comment="5. What additional help, if any, from others?")
    suspects_harm = models.CharField(
        _("anledning att misstänka att barnet far illa"),
        max_length=10,
        choices=SuspectsHarm,
        blank=True,
        db_comment="Duty-to-report question: yes, no or unsure; empty for answers saved before it was asked.",
    )
    outcome = models.CharField(max_length=20, choices=Outcome, db_comment="handled_here or needs_others.")
    action = models.TextField(blank=True, db_comment="The single-agency action, when handled here.")
    follow_up_on = models.DateField(null=True, blank=True, db_comment="When to follow the action up.")
    follow_up_due_marked_at = models.DateTimeField(
        null=True, blank=True, db_comment="When the reminder task found the follow-up due (set once)."
    )
    followed_up_at = models.DateTimeField(null=True, blank=True, db_comment="When the author marked it followed up.")
    follow_up_note = models.TextField(blank=True, db_comment="What the follow-up found.")
    created_at = models.DateTimeField(auto_now_add=True, db_comment="When the answers were saved.")

    class Meta:
        db_table_comment = "Answers to the five questions about a concern, with the outcome and any follow-up."
        verbose_name = _("de fem frågorna")
        verbose_name_plural = _("de fem frågorna")
        indexes = [models.Index(fields=["author", "follow_up_on"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(outcome="handled_here") | Q(follow_up_on__isnull=False), name="handled_has_follow_up"
            )
        ]


class IndicatorLabelSet(models.Model):
    """A named, versioned wording of the eight indicators and the wheel, in Swedish and English.

    Ratings and chronology entries store indicator codes only, so a municipality can switch or edit its
    wording without changing any stored rating. A changed wording is best a new version of the set (the
    admin copies one), so the municipality's earlier choice stays on record.
    """

    id = models.BigAutoField(primary_key=True, db_comment="Row id.")
    key = models.SlugField(
        _("nyckel"), max_length=50, db_comment="Stable identifier shared by the versions of one wording."
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1, db_comment="Version of the wording, from 1.")
    name = models.CharField(_("namn"), max_length=100, db_comment="Name shown to administrators.")
    wheel_name = models.CharField(
        _("verktygets namn"), max_length=100, db_comment="Name of the wheel, e.g. Välbefinnandehjulet, Min livsblomma."
    )
    wheel_name_en = models.CharField(
        _("verktygets namn på engelska"), max_length=100, blank=True, db_comment="The wheel's name in English."
    )
    is_default = models.BooleanField(
        _("standard"), default=False, db_comment="Used where a municipality has chosen no set; exactly one."
    )
    confirmed = models.BooleanField(
        _("bekräftad"),
        default=True,
        help_text=_("Ta bort markeringen om ordalydelsen eller kopplingen till indikatorerna inte är bekräftad."),
        db_comment="False where the wording or its mapping to the indicators is not confirmed from a source.",
    )
    note = models.TextField(
        _("källa och anmärkning"), blank=True, db_comment="Where the wording comes from; what is not confirmed."
    )
    created_at = models.DateTimeField(auto_now_add=True, db_comment="When the set was created.")

    class Meta:
        db_table_comment = "Versioned wordings of the wellbeing indicators (labels per municipality, not code)."
        verbose_name = _("benämningar av indikatorerna")
        verbose_name_plural = _("benämningar av indikatorerna")
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["key", "version"], name="label_set_version_once"),
            models.UniqueConstraint(fields=["is_default"], condition=Q(is_default=True), name="one_default_label_set"),
        ]

    def __str__(self) -> str:
        return f"{self.name}, version {self.version}"


class IndicatorLabel(models.Model):
    """One indicator's label, short text and question to the child in a label set, in Swedish and English."""

    id = models.BigAutoField(primary_key=True, db_comment="Row id.")
    label_set = models.ForeignKey(
        IndicatorLabelSet, on_delete=models.CASCADE, related_name="labels", db_comment="The label set."
    )
    indicator = models.CharField(
        _("indikator"), max_length=20, choices=Indicator, db_comment="SHANARRI indicator code."
    )
    label = models.CharField(_("benämning"), max_length=100, db_comment="The indicator's name in this set.")
    label_en = models.CharField(
        _("benämning på engelska"), max_length=100, blank=True, db_comment="The name in English."
    )
    short_text = models.CharField(
        _("kort beskrivning"), max_length=300, blank=True, db_comment="Short explanation shown with it."
    )
    short_text_en = models.CharField(
        _("kort beskrivning på engelska"), max_length=300, blank=True, db_comment="The short explanation in English."
    )
    child_text = models.CharField(
        _("fråga till barnet"), max_length=200, blank=True, db_comment="Plain question for the child's own page."
    )
    child_text_en = models.CharField(
        _("fråga till barnet på engelska"), max_length=200, blank=True, db_comment="The child's question in English."
    )

    class Meta:
        db_table_comment = "Labels of the wellbeing indicators per label set; codes stay fixed so ratings compare."
        verbose_name = _("benämning")
        verbose_name_plural = _("benämningar")
        constraints = [models.UniqueConstraint(fields=["label_set", "indicator"], name="indicator_label_once_per_set")]


class IndicatorLabelChoice(models.Model):
    """Which label set a municipality uses from a date (the latest choice in force applies)."""

    id = models.BigAutoField(primary_key=True, db_comment="Row id.")
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.CASCADE,
        related_name="indicator_label_choices",
        verbose_name=_("kommun"),
        db_comment="The municipality.",
    )
    label_set = models.ForeignKey(
        IndicatorLabelSet,
        on_delete=models.PROTECT,
        related_name="choices",
        verbose_name=_("benämningar"),
        db_comment="The label set it uses.",
    )
    valid_from = models.DateField(_("gäller från"), db_comment="First day the choice applies.")

    class Meta:
        db_table_comment = "Each municipality's choice of indicator label set over time; the latest in force applies."
        verbose_name = _("val av benämningar")
        verbose_name_plural = _("val av benämningar")
        constraints = [models.UniqueConstraint(fields=["municipality", "valid_from"], name="label_choice_once_per_day")]


class Assessment(models.Model):
    """A wellbeing wheel, My World Triangle or resilience matrix assessment of a child at a date."""

    class Kind(models.TextChoices):
        WHEEL = "wheel", _("Välbefinnandehjulet")
        TRIANGLE = "triangle", _("Min världstriangel")
        MATRIX = "matrix", _("Motståndskraftsmatrisen")

    class Rater(models.TextChoices):
        PRACTITIONER = "practitioner", _("Yrkesperson")
        GUARDIAN = "guardian", pgettext_lazy("en person", "Vårdnadshavare")  # one guardian: "Guardian"
        CHILD = "child", _("Barnet självt")

    id = models.BigAutoField(primary_key=True, db_comment="Row id.")
    child = _child("assessments")
    owner_authority = _owner()
    category = _category()
    kind = models.CharField(max_length=10, choices=Kind, db_comment="wheel, triangle or matrix.")
    rater_kind = models.CharField(max_length=15, choices=Rater, db_comment="Whose view: practitioner, guardian, child.")
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        db_comment="User who recorded it (the practitioner sitting with the child, or the family user).",
    )
    assessed_on = models.DateField(_("datum"), db_comment="Date of the assessment.")
    note = models.TextField(_("sammanfattning"), blank=True, db_comment="Overall comment.")
    created_at = models.DateTimeField(auto_now_add=True, db_comment="When it was saved.")

    class Meta:
        db_table_comment = "Wellbeing wheel, My World Triangle and resilience matrix assessments of a child."
        indexes = [models.Index(fields=["child", "kind", "assessed_on"])]


class Rating(models.Model):
    """One indicator's score (1–5) in a wellbeing wheel assessment, with a short comment."""

    id = models.BigAutoField(primary_key=True, db_comment="Row id.")
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="ratings", db_comment="The wheel assessment."
    )
    indicator = models.CharField(max_length=20, choices=Indicator, db_comment="SHANARRI indicator code.")
    score = models.PositiveSmallIntegerField(db_comment="1 (very bad) to 5 (very good).")
    comment = models.CharField(max_length=500, blank=True, db_comment="Short comment in the rater's words.")

    class Meta:
        db_table_comment = "Per-indicator scores of wellbeing wheel assessments."
        constraints = [
            models.UniqueConstraint(fields=["assessment", "indicator"], name="rating_once_per_indicator"),
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="rating_score_1_to_5"),
        ]


class TriangleNote(models.Model):
    """Strengths and concerns for one area of My World Triangle."""

    id = models.BigAutoField(primary_key=True, db_comment="Row id.")
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="triangle_notes", db_comment="The triangle assessment."
    )
    area = models.CharField(max_length=30, db_comment="Area code (wellbeing.triangle.Area).")
    strengths = models.TextField(blank=True, db_comment="Strengths seen in the area.")
    concerns = models.TextField(blank=True, db_comment="Concerns seen in the area.")

    class Meta:
        db_table_comment = "My World Triangle: strengths and concerns per area; only areas looked at get a row."
        constraints = [models.UniqueConstraint(fields=["assessment", "area"], name="triangle_area_once")]


class MatrixPlacement(models.Model):
    """Where the child sits on the resilience matrix's two axes, with the evidence for each."""

    id = models.BigAutoField(primary_key=True, db_comment="Row id.")
    assessment = models.OneToOneField(
        Assessment, on_delete=models.CASCADE, related_name="matrix", db_comment="The matrix assessment."
    )
    resilience = models.SmallIntegerField(db_comment="-2 (vulnerable) … +2 (resilient): the child's own qualities.")
    resilience_evidence = models.TextField(db_comment="What the resilience placement rests on.")
    environment = models.SmallIntegerField(db_comment="-2 (adversity) … +2 (protective environment).")
    environment_evidence = models.TextField(db_comment="What the environment placement rests on.")

    class Meta:
        db_table_comment = "Resilience matrix placements (Daniel & Wassell axes) with their evidence."
        constraints = [
            models.CheckConstraint(
                condition=Q(resilience__gte=-2, resilience__lte=2, environment__gte=-2, environment__lte=2),
                name="matrix_within_axes",
            )
        ]


class Instrument(models.Model):
    """A scored instrument at one version; licensed instruments record scores only, never items."""

    id = models.BigAutoField(primary_key=True, db_comment="Row id.")
    code = models.CharField(max_length=30, db_comment="Short code, e.g. sdq.")
    version = models.CharField(
        max_length=60, db_comment="Version of the scoring and bands, e.g. uk-3band-per-informant-2025."
    )
    name = models.CharField(max_length=200, db_comment="Name shown to staff.")
    licence_note = models.TextField(db_comment="What the licence allows; why items are or are not stored.")
    respondent_kinds = models.JSONField(default=list, db_comment="Who may answer: parent, teacher, self ...")
    band_source = models.TextField(blank=True, db_comment="Where the interpretation bands come from.")
    active = models.BooleanField(default=True, db_comment="False once replaced by a newer version.")

    class Meta:
        db_table_comment = "Scored instruments, versioned; scores-only for licensed forms such as SDQ."
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="instrument_version_once")]

    @property
    def version_title(self) -> str:
        """Return the version in words, translated (`instrument_data.VERSION_TITLES`): pages never show the code."""
        from wellbeing.instrument_data import UNNAMED_VERSION, VERSION_TITLES

        return gettext(VERSION_TITLES.get(self.version, UNNAMED_VERSION))


class Subscale(models.Model):
    """A subscale (or the total) of an instrument version, with its score range."""

    id = models.BigAutoField(primary_key=True, db_comment="Row id.")
    instrument = models.ForeignKey(
        Instrument, on_delete=models.CASCADE, related_name="subscales", db_comment="The instrument version."
    )
    code = models.CharField(max_length=30, db_comment="Short code, e.g. emotional.")
    name = models.CharField(max_length=200, db_comment="Name shown to staff.")
    min_score = models.SmallIntegerField(db_comment="Lowest possible score.")
    max_score = models.SmallIntegerField(db_comment="Highest possible score.")
    counts_in_total = models.BooleanField(default=True, db_comment="Whether it adds to the total score.")
    is_total = models.BooleanField(default=False, db_comment="True for the computed total (never entered).")
    position = models.PositiveSmallIntegerField(default=0, db_comment="Order on forms and tables.")

    class Meta:
        db_table_comment = "Subscales of instrument versions, and each version's total as a computed subscale."
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["instrument", "code"], name="subscale_code_once")]


class Band(models.Model):
    """An interpretation band of a subscale for one informant: scores from min to max (inclusive) read as the label."""

    id = models.BigAutoField(primary_key=True, db_comment="Row id.")
    subscale = models.ForeignKey(Subscale, on_delete=models.CASCADE, related_name="bands", db_comment="The subscale.")
    informant = models.CharField(
        max_length=20, db_comment="Whose form the band applies to: parent, teacher or self (cut-offs differ)."
    )
    level = models.CharField(max_length=20, db_comment="Machine code: normal, borderline, abnormal ...")
    label = models.CharField(max_length=100, db_comment="Label shown to staff.")
    min_score = models.SmallIntegerField(db_comment="Lowest score in the band (inclusive).")
    max_score = models.SmallIntegerField(db_comment="Highest score in the band (inclusive).")
    certain = models.BooleanField(
        default=True, db_comment="True when confirmed from a published source; False is shown as not confirmed."
    )
    source = models.CharField(max_length=300, blank=True, db_comment="The published source of a confirmed band.")
    note = models.CharField(max_length=300, blank=True, db_comment="Why the band is not confirmed.")

    class Meta:
        db_table_comment = "Versioned interpretation bands of instrument subscales per informant (data, not code)."
        ordering = ["min_score"]
        indexes = [models.Index(fields=["subscale", "informant"])]


class InstrumentResponse(models.Model):
    """One completed instrument for a child: the scores from the official form and the computed bands."""

    id = models.BigAutoField(primary_key=True, db_comment="Row id.")
    child = _child("instrument_responses")
    owner_authority = _owner()
    category = _category()
    instrument = models.ForeignKey(
        Instrument, on_delete=models.PROTECT, related_name="responses", db_comment="Instrument version used."
    )
    respondent = models.CharField(max_length=20, db_comment="Who answered the form: parent, teacher, self ...")
    completed_on = models.DateField(db_comment="Date the form was completed.")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_comment="Staff user who recorded it."
    )
    total = models.SmallIntegerField(null=True, blank=True, db_comment="Computed total of the counted subscales.")
    total_band = models.ForeignKey(
        Band, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_comment="Band of the total."
    )
    created_at = models.DateTimeField(auto_now_add=True, db_comment="When it was recorded.")

    class Meta:
        db_table_comment = "Completed instruments: scores only (no copyrighted items), total and bands computed."
        indexes = [models.Index(fields=["child", "completed_on"])]


class SubscaleScore(models.Model):
    """One subscale's score in a response, with the band it fell in when recorded."""

    id = models.BigAutoField(primary_key=True, db_comment="Row id.")
    response = models.ForeignKey(
        InstrumentResponse, on_delete=models.CASCADE, related_name="scores", db_comment="The response."
    )
    subscale = models.ForeignKey(Subscale, on_delete=models.PROTECT, related_name="+", db_comment="The subscale.")
    score = models.SmallIntegerField(db_comment="Score from the official form.")
    band = models.ForeignKey(
        Band, on_delete=models.PROTECT, null=True, blank=True, related_name="+", db_comment="Computed band."
    )

    class Meta:
        db_table_comment = "Subscale scores of instrument responses with their computed bands."
        constraints = [models.UniqueConstraint(fields=["response", "subscale"], name="score_once_per_subscale")]
