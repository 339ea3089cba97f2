"""Indicators and their aggregate values: the collected picture built from figures, never from children.

A value is keyed like a DHIS2 data value: indicator × municipality (and optionally one of its units)
× period × disaggregation (gender T/K/M, age band). Values are revised, never overwritten: each change
is a new row with the next revision number, and the current value is the latest revision.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from organisations.models import Municipality, Unit


class Indicator(models.Model):
    """What is measured, who reports it and how it is split (the indicator registry)."""

    class Reporter(models.TextChoices):
        UNIT = "unit", _("Enhet")
        AUTHORITY = "authority", _("Myndighet")
        OUTSIDE = "outside", _("Organisation utanför Samplan")

    class Level(models.TextChoices):
        FIRST_LINE = "first_line", _("Första linjen")
        SPECIALISED = "specialised", _("Specialiserad nivå")
        NONE = "none", _("Ingen nivå")

    class Measure(models.TextChoices):
        COUNT = "count", _("Antal")
        SHARE = "share", _("Andel (%)")
        KRONOR = "kr", _("Kronor")

    class PeriodType(models.TextChoices):
        YEAR = "year", _("År")
        TERM = "term", _("Termin")
        MONTH = "month", _("Månad")

    class Source(models.TextChoices):
        ENTERED = "entered", _("Registreras")
        IMPORTED = "imported", _("Importeras")
        COMPUTED = "computed", _("Beräknas ur Samplan")
        KOLADA = "kolada", _("Kolada")

    id = models.BigAutoField(primary_key=True, db_comment="Row id.")
    code = models.CharField(
        _("kod"), max_length=20, unique=True, db_comment="Stable code, e.g. N71-S01 or a Kolada KPI id."
    )
    title_sv = models.CharField(_("namn"), max_length=300, db_comment="Swedish title as published.")
    title_en = models.CharField(_("namn på engelska"), max_length=300, blank=True, db_comment="English title.")
    definition = models.TextField(_("definition"), blank=True, db_comment="What is counted, and how.")
    reporter_kind = models.CharField(
        _("rapporteras av"), max_length=20, choices=Reporter, db_comment="Kind of reporting actor."
    )
    reporter_name = models.CharField(
        _("rapportör"),
        max_length=200,
        db_comment="Reporting actor as named in the source, e.g. BUP, Familjerådgivning.",
    )
    level = models.CharField(_("nivå"), max_length=20, choices=Level, db_comment="First line or specialised level.")
    measure = models.CharField(_("enhet"), max_length=10, choices=Measure, db_comment="count, share or kr.")
    period_type = models.CharField(
        _("periodtyp"), max_length=10, choices=PeriodType, default=PeriodType.YEAR, db_comment="Reporting period."
    )
    by_gender = models.BooleanField(_("delas på kön"), default=False, db_comment="Reported for girls and boys too.")
    by_age = models.BooleanField(_("delas på ålder"), default=False, db_comment="Reported per age band too.")
    counts_children = models.BooleanField(
        _("räknar barn"), default=True, db_comment="Counts children or families: small counts are never published."
    )
    source = models.CharField(_("källa"), max_length=20, choices=Source, db_comment="How values arrive.")
    origin = models.CharField(
        _("ursprung"), max_length=200, blank=True, db_comment="Where the indicator comes from, e.g. Nacka bilaga 7.1."
    )

    class Meta:
        db_table_comment = "The indicator registry: what is reported, by whom, split how."
        verbose_name = _("indikator")
        verbose_name_plural = _("indikatorer")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.title_sv


class Gender(models.TextChoices):
    TOTAL = "T", _("Totalt")
    GIRLS = "K", _("Flickor")
    BOYS = "M", _("Pojkar")


class IndicatorValue(models.Model):
    """One revision of one figure; the highest revision of a key is the current value."""

    class Origin(models.TextChoices):
        ENTERED = "entered", _("Registrerat")
        IMPORTED = "imported", _("Importerat från fil")
        KOLADA = "kolada", _("Hämtat från Kolada")

    id = models.BigAutoField(primary_key=True, db_comment="Row id.")
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, related_name="values", db_comment="What the figure measures."
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="indicator_values", db_comment="Municipality reported for."
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicator_values",
        db_comment="Unit reported for; empty for the whole municipality.",
    )
    period = models.CharField(
        _("period"), max_length=7, db_comment="2024 (year), 2024-VT/2024-HT (term) or 2024-03 (month)."
    )
    gender = models.CharField(_("kön"), max_length=1, choices=Gender, default=Gender.TOTAL, db_comment="T, K or M.")
    age_band = models.CharField(
        _("åldersgrupp"), max_length=10, blank=True, default="", db_comment="e.g. 0-5; empty for all ages."
    )
    revision = models.PositiveIntegerField(db_comment="1 for the first figure, +1 for each revision.")
    value = models.DecimalField(_("värde"), max_digits=16, decimal_places=2, db_comment="The figure.")
    origin = models.CharField(max_length=10, choices=Origin, db_comment="How this revision arrived.")
    note = models.CharField(_("kommentar"), max_length=300, blank=True, db_comment="Why the figure was revised.")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_comment="Who entered or imported it; empty for a scheduled Kolada sync.",
    )
    recorded_at = models.DateTimeField(db_comment="When the revision was recorded.")

    class Meta:
        db_table_comment = "Aggregate indicator values, one row per revision (never updated)."
        ordering = ["indicator", "period", "gender", "age_band", "-revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "municipality", "unit", "period", "gender", "age_band", "revision"],
                name="indicator_value_unit_revision_unique",
                condition=Q(unit__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["indicator", "municipality", "period", "gender", "age_band", "revision"],
                name="indicator_value_municipality_revision_unique",
                condition=Q(unit__isnull=True),
            ),
            models.CheckConstraint(condition=Q(gender__in=["T", "K", "M"]), name="indicator_value_gender_known"),
            models.CheckConstraint(condition=Q(revision__gte=1), name="indicator_value_revision_positive"),
        ]
        indexes = [models.Index(fields=["municipality", "indicator", "period"], name="indicator_value_lookup")]


class ReportingRound(models.Model):
    """A municipality's yearly call for figures: who has reported for the year and who has not."""

    id = models.BigAutoField(primary_key=True, db_comment="Row id.")
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="reporting_rounds", db_comment="Municipality asking."
    )
    year = models.PositiveIntegerField(_("år"), db_comment="The year the figures are for.")
    due_on = models.DateField(_("sista dag"), db_comment="Last day to report.")
    reminded_on = models.DateField(null=True, blank=True, db_comment="Last reminder day (at most one a week).")
    closed = models.BooleanField(default=False, db_comment="Closed rounds get no reminders.")

    class Meta:
        db_table_comment = "Yearly reporting rounds of indicator values per municipality."
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "year"], name="reporting_round_one_per_year"),
        ]

    def __str__(self) -> str:
        return str(self.year)
