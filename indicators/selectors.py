"""Reads for indicators: who may read or report where, the current values and their history, round status."""

from __future__ import annotations

from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Coalesce

from indicators.models import Indicator, IndicatorValue, ReportingRound
from organisations.models import Municipality, Role, Unit
from sharing import policy

READ_ROLES = policy.ACTIONS[policy.Action.READ_INDICATORS]
# Figures for the whole municipality, or from an organisation outside Samplan, are entered by its analysts.
MUNICIPALITY_ROLES = frozenset({Role.ANALYST, Role.ADMINISTRATOR})


def _readers(user, on: date | None = None):
    return policy.memberships(user, on=on).filter(role__in=READ_ROLES)


def municipalities_for(user) -> QuerySet[Municipality]:
    """Return the municipalities whose figures the user reads: analysts, managers, administrators there."""
    if not user.is_authenticated:
        return Municipality.objects.none()
    return Municipality.objects.filter(authorities__units__memberships__in=_readers(user)).distinct()


def may_read(user) -> bool:
    return municipalities_for(user).exists()


def reportable_units(user) -> QuerySet[Unit]:
    """Return the units the user reports for: every unit of an authority where they hold a reading role."""
    if not user.is_authenticated:
        return Unit.objects.none()
    return Unit.objects.filter(authority__units__memberships__in=_readers(user)).distinct().order_by("name")


def reportable_municipalities(user) -> QuerySet[Municipality]:
    """Return the municipalities where the user enters whole-municipality and outside organisations' figures."""
    if not user.is_authenticated:
        return Municipality.objects.none()
    analysts = policy.memberships(user).filter(role__in=MUNICIPALITY_ROLES)
    return Municipality.objects.filter(authorities__units__memberships__in=analysts).distinct()


def may_enter(user, *, municipality: Municipality, unit: Unit | None) -> bool:
    """Return whether the user reports this figure: a unit of their own authority, or their municipality as a whole."""
    if unit is not None:
        # The reporting actor: the unit's own authority (its analysts, managers, administrators).
        return unit.authority.municipality_id == municipality.pk and reportable_units(user).filter(pk=unit.pk).exists()
    return reportable_municipalities(user).filter(pk=municipality.pk).exists()


def indicators(*, search: str = "") -> QuerySet[Indicator]:
    rows = Indicator.objects.all()
    if search:
        rows = rows.filter(
            Q(title_sv__icontains=search)
            | Q(title_en__icontains=search)
            | Q(code__icontains=search)
            | Q(reporter_name__icontains=search)
        )
    return rows


def current_values(*, municipalities) -> QuerySet[IndicatorValue]:
    """Return the latest revision of each figure in these municipalities (one SQL query, no loops)."""
    # A figure for the whole municipality has no unit: 0 stands in for it so NULLs compare equal.
    unit_key = Coalesce("unit_id", Value(0))
    newer = IndicatorValue.objects.annotate(unit_key=unit_key).filter(
        indicator=OuterRef("indicator"),
        municipality=OuterRef("municipality"),
        unit_key=OuterRef("unit_key"),
        period=OuterRef("period"),
        gender=OuterRef("gender"),
        age_band=OuterRef("age_band"),
        revision__gt=OuterRef("revision"),
    )
    return (
        IndicatorValue.objects.filter(municipality__in=municipalities)
        .annotate(unit_key=unit_key)
        .exclude(Exists(newer))
        .select_related("indicator", "municipality", "unit", "recorded_by")
        .order_by("indicator__code", "municipality__name", "unit__name", "period", "gender", "age_band")
    )


def history(value: IndicatorValue) -> QuerySet[IndicatorValue]:
    """Return every revision of the figure a value belongs to, newest first."""
    return IndicatorValue.objects.filter(
        indicator=value.indicator_id,
        municipality=value.municipality_id,
        unit=value.unit_id,
        period=value.period,
        gender=value.gender,
        age_band=value.age_band,
    ).order_by("-revision")


def latest(*, indicator, municipality, unit, period, gender, age_band) -> IndicatorValue | None:
    return (
        IndicatorValue.objects.filter(
            indicator=indicator,
            municipality=municipality,
            unit=unit,
            period=period,
            gender=gender,
            age_band=age_band,
        )
        .order_by("-revision")
        .first()
    )


def rounds_for(user) -> QuerySet[ReportingRound]:
    return ReportingRound.objects.filter(municipality__in=municipalities_for(user)).select_related("municipality")


def round_status(reporting_round: ReportingRound) -> tuple[list[Indicator], list[Indicator]]:
    """Split the yearly indicators that are reported by hand or file into (reported, not yet reported)."""
    year = str(reporting_round.year)
    reported_for = IndicatorValue.objects.filter(
        indicator=OuterRef("pk"), municipality=reporting_round.municipality_id, period__startswith=year
    )
    rows = Indicator.objects.filter(source__in=[Indicator.Source.ENTERED, Indicator.Source.IMPORTED]).annotate(
        reported=Exists(reported_for)
    )
    done, missing = [], []
    for indicator in rows:
        (done if indicator.reported else missing).append(indicator)
    return done, missing
