"""Reads of the catalogue: what a user may see and keep, the filtered table, the pyramid and the actor map."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Case, Count, IntegerField, Max, Prefetch, Q, QuerySet, Value, When

from catalogue.guide import Worry
from catalogue.models import (
    PREGNANCY,
    STALE_AFTER_DAYS,
    CatalogueSettings,
    Intervention,
    InterventionNeed,
    Level,
    Provider,
)
from organisations.models import Municipality
from sharing import policy

SORTS = {
    "namn": ("name", "pk"),
    "utforare": ("provider__name", "name"),
    "niva": ("level_rank", "name"),
    "alder": ("min_age", "max_age", "name"),
    "vantetid": ("waiting_weeks", "name"),
}
AGES = range(0, 19)  # the actor map's columns, as in the pre-study: 0 to 18 years


@dataclass(frozen=True)
class Filters:
    """What the table is narrowed to; every field is optional."""

    text: str = ""
    provider: int | None = None
    level: str = ""
    age: int | None = None
    need: str = ""
    public: bool | None = None
    sort: str = "namn"


def municipalities_for(user) -> QuerySet[Municipality]:
    """Return the municipalities whose catalogue the user works with: those of their current authorities."""
    return Municipality.objects.filter(authorities__in=policy.user_authorities(user)).distinct()


def settings_for(municipality: Municipality) -> CatalogueSettings:
    """Return the municipality's catalogue settings, unsaved defaults when none are kept."""
    found = CatalogueSettings.objects.filter(municipality=municipality).first()
    return found or CatalogueSettings(municipality=municipality)


def kept_providers(user) -> QuerySet[Provider]:
    """Return the providers whose entries the user keeps.

    Staff of a provider's unit keep its own entries; a municipality's managers and administrators
    keep every provider of it, outside organisations included.
    """
    mine = policy.memberships(user)
    keeping = mine.filter(role__in=policy.ACTIONS[policy.Action.KEEP_CATALOGUE])
    municipalities = Municipality.objects.filter(authorities__units__memberships__in=keeping)
    return Provider.objects.filter(Q(unit__memberships__in=mine) | Q(municipality__in=municipalities)).distinct()


def listed_providers(user) -> QuerySet[Provider]:
    """Return the providers of the user's municipalities."""
    return Provider.objects.filter(municipality__in=municipalities_for(user)).select_related("authority", "unit")


def may_keep(user, provider: Provider) -> bool:
    return kept_providers(user).filter(pk=provider.pk).exists()


def _with_joins(queryset: QuerySet[Intervention]) -> QuerySet[Intervention]:
    return queryset.select_related("provider", "provider__authority", "provider__unit").prefetch_related(
        Prefetch("needs", queryset=InterventionNeed.objects.order_by("indicator"))
    )


def _level_rank(queryset: QuerySet[Intervention]) -> QuerySet[Intervention]:
    ranks = [When(level=level, then=Value(rank)) for rank, level in enumerate(Level.values)]
    return queryset.annotate(level_rank=Case(*ranks, output_field=IntegerField()))


def interventions_for(user) -> QuerySet[Intervention]:
    """Return every intervention, public and internal, of the user's municipalities."""
    return _with_joins(Intervention.objects.filter(provider__municipality__in=municipalities_for(user)))


def filtered(queryset: QuerySet[Intervention], filters: Filters) -> QuerySet[Intervention]:
    """Narrow a catalogue queryset by the table's filters and sort it."""
    if filters.text:
        words = Q()
        for field in ("name", "description", "target_group", "keywords", "provider__name"):
            words |= Q(**{f"{field}__icontains": filters.text})
        queryset = queryset.filter(words)
    if filters.provider:
        queryset = queryset.filter(provider_id=filters.provider)
    if filters.level:
        queryset = queryset.filter(level=filters.level)
    if filters.age is not None:
        queryset = queryset.filter(min_age__lte=filters.age, max_age__gte=filters.age)
    if filters.need:
        queryset = queryset.filter(needs__indicator=filters.need)
    if filters.public is not None:
        queryset = queryset.filter(public=filters.public)
    return _level_rank(queryset).order_by(*SORTS.get(filters.sort, SORTS["namn"]))


def stale_before(settings: CatalogueSettings, on: date) -> date:
    """Return the first day a confirmation still counts as current."""
    return on - timedelta(days=settings.stale_after_days or STALE_AFTER_DAYS)


def stale_q(oldest: date) -> Q:
    return Q(waiting_confirmed_on__isnull=True) | Q(waiting_confirmed_on__lt=oldest)


def stale_interventions(*, on: date) -> QuerySet[Intervention]:
    """Return the interventions, in every municipality, whose waiting time is unconfirmed or too old."""
    stale = Q()
    for municipality in Municipality.objects.filter(providers__isnull=False).distinct():
        oldest = stale_before(settings_for(municipality), on)
        stale |= Q(provider__municipality=municipality) & stale_q(oldest)
    return Intervention.objects.filter(stale) if stale else Intervention.objects.none()


@dataclass(frozen=True)
class PyramidLevel:
    level: str
    label: str
    count: int
    by_provider: list[tuple[str, list[str]]]


def pyramid(queryset: QuerySet[Intervention]) -> list[PyramidLevel]:
    """Return the three levels, indicated at the top, each with its count and names by provider."""
    rows = queryset.order_by("provider__name", "name").values_list("level", "provider__name", "name")
    levels: dict[str, dict[str, list[str]]] = {level: {} for level in Level.values}
    for level, provider, name in rows:
        levels[level].setdefault(provider, []).append(name)
    return [
        PyramidLevel(
            level=level,
            label=str(Level(level).label),
            count=sum(len(names) for names in levels[level].values()),
            by_provider=list(levels[level].items()),
        )
        for level in reversed(Level.values)
    ]


@dataclass(frozen=True)
class MapRow:
    intervention: Intervention
    cells: list[bool]
    pregnancy: bool


def actor_map(queryset: QuerySet[Intervention]) -> list[tuple[str, list[MapRow]]]:
    """Return the interventions by provider with one cell per age 0–18, marked where the intervention is offered."""
    groups: dict[str, list[MapRow]] = {}
    for intervention in queryset.select_related("provider").order_by("provider__name", "min_age", "name"):
        cells = [intervention.min_age <= age <= intervention.max_age for age in AGES]
        row = MapRow(intervention, cells, pregnancy=intervention.min_age == PREGNANCY)
        groups.setdefault(intervention.provider.name, []).append(row)
    return list(groups.items())


def public_interventions(municipality: Municipality, *, age: int | None, worry: Worry | None) -> QuerySet[Intervention]:
    """Return the public entries of a municipality for an age and a kind of worry, self-referral first."""
    queryset = Intervention.objects.filter(public=True, provider__municipality=municipality)
    if age is not None:
        queryset = queryset.filter(min_age__lte=age, max_age__gte=age)
    if worry is not None:
        matches = Q(needs__indicator__in=worry.indicators)
        for keyword in worry.keywords:
            matches |= Q(keywords__icontains=keyword) | Q(name__icontains=keyword)
        queryset = queryset.filter(pk__in=Intervention.objects.filter(matches).values("pk"))
    return queryset.select_related("provider").order_by("route", "level", "name")


def catalogue_version() -> str:
    """Return a token that changes whenever an entry is added, changed or removed (for the guide's cache)."""
    latest = Intervention.objects.aggregate(changed=Max("updated_at"), count=Count("pk"), last=Max("pk"))
    return f"{latest['changed']}:{latest['count']}:{latest['last']}".replace(" ", "_")


def guide_municipalities() -> QuerySet[Municipality]:
    """Return the municipalities with at least one public entry, for the guide's choice."""
    return Municipality.objects.filter(providers__interventions__public=True).distinct().order_by("name")


def provider_counts(queryset: QuerySet[Provider]) -> QuerySet[Provider]:
    return queryset.annotate(count=Count("interventions")).order_by("name")
