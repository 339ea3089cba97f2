"""Which children and which period a figure counts: a municipality, optionally narrowed by area, unit, age, gender."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from people.models import Child, Enrolment, IdentityKind

AGE_BANDS: dict[str, tuple[int, int, object]] = {
    "0-5": (0, 5, _("0–5 år")),
    "6-12": (6, 12, _("6–12 år")),
    "13-17": (13, 17, _("13–17 år")),
}
GENDERS = {"K": _("Flickor"), "M": _("Pojkar")}


@dataclass(frozen=True)
class Period:
    """A period of whole days, both ends included."""

    start: date
    end: date

    @classmethod
    def last_year(cls, today: date) -> Period:
        return cls(today - timedelta(days=364), today)

    def shifted_back(self, months: int) -> Period:
        return Period(_months_before(self.start, months), _months_before(self.end, months))


def _months_before(day: date, months: int) -> date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    for candidate in range(day.day, 27, -1):
        try:
            return date(year, month, candidate)
        except ValueError:
            continue
    return date(year, month, min(day.day, 28))


def years_before(day: date, years: int) -> date:
    return _months_before(day, 12 * years)


@dataclass(frozen=True)
class Scope:
    """The children a figure counts: one municipality and optional filters, judged at a reference day."""

    municipality_id: int
    area: str = ""
    unit_ids: tuple[int, ...] = field(default_factory=tuple)
    exclude_area: str = ""
    exclude_unit_ids: tuple[int, ...] = field(default_factory=tuple)
    age_band: str = ""
    gender: str = ""

    def children(self, on: date) -> QuerySet[Child]:
        """The children in scope on a day, as one SQL query (filters are sub-queries, never Python loops)."""
        children = Child.objects.filter(municipality_id=self.municipality_id, is_expected=False, birth_date__lte=on)
        children = children.filter(birth_date__gt=years_before(on, 18))
        current = Q(start__lte=on) & (Q(end__isnull=True) | Q(end__gte=on))
        if self.area:
            enrolled = Enrolment.objects.filter(current, child=OuterRef("pk"), unit__area=self.area)
            children = children.filter(Exists(enrolled))
        if self.exclude_area:
            enrolled = Enrolment.objects.filter(current, child=OuterRef("pk"), unit__area=self.exclude_area)
            children = children.exclude(Exists(enrolled))
        if self.unit_ids:
            children = children.filter(
                Exists(Enrolment.objects.filter(current, child=OuterRef("pk"), unit_id__in=self.unit_ids))
            )
        if self.exclude_unit_ids:
            children = children.exclude(
                Exists(Enrolment.objects.filter(current, child=OuterRef("pk"), unit_id__in=self.exclude_unit_ids))
            )
        if self.age_band in AGE_BANDS:
            low, high, _label = AGE_BANDS[self.age_band]
            children = children.filter(birth_date__lte=years_before(on, low), birth_date__gt=years_before(on, high + 1))
        if self.gender in GENDERS:
            # The second-to-last digit of a personnummer is odd for boys; other identity kinds carry no gender.
            digit = r"^.{10}[13579]" if self.gender == "M" else r"^.{10}[02468]"
            children = children.filter(identity_kind=IdentityKind.PERSONNUMMER, identity_number__regex=digit)
        return children
