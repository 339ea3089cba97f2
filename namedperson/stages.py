"""Which stage a child is in on a given day, and which unit's role should be its named person.

A pure function of the birth date, the enrolments and the municipality's rules, so that the
handover service, the demo data and the tests share one definition.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol

from namedperson.models import Stage
from organisations.models import Role

SCHOOL_KINDS = ("preschool_class", "school", "upper_secondary")


class Rules(Protocol):
    child_health_from_days: int
    end_age_years: int
    continue_in_upper_secondary: bool


@dataclass(frozen=True)
class DefaultRules:
    """The defaults from DOMAIN.md, used where a municipality has not configured its own."""

    child_health_from_days: int = 11
    end_age_years: int = 18
    continue_in_upper_secondary: bool = True


@dataclass(frozen=True)
class EnrolmentSpan:
    kind: str
    unit_id: int
    start: date
    end: date | None  # last day, inclusive

    def covers(self, on: date) -> bool:
        return self.start <= on and (self.end is None or self.end >= on)


@dataclass(frozen=True)
class Target:
    """The named person a child should have: a stage, the unit (if known) and the eligible role."""

    stage: Stage
    unit_id: int | None
    role: Role


def add_years(day: date, years: int) -> date:
    """Return the same calendar day `years` later (29 February becomes 1 March)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, month=3, day=1)


def _latest(spans: list[EnrolmentSpan], kinds: tuple[str, ...], on: date) -> EnrolmentSpan | None:
    current = [s for s in spans if s.kind in kinds and s.covers(on)]
    return max(current, key=lambda s: (s.start, s.unit_id), default=None)


def expected_target(
    *, birth_date: date, is_expected: bool, enrolments: list[EnrolmentSpan], rules: Rules, on: date
) -> Target | None:
    """Return who should be the named person on `on`, or None when the service has ended."""
    if is_expected or on < birth_date + timedelta(days=rules.child_health_from_days):
        maternity = _latest(enrolments, ("maternity",), on)
        return Target(Stage.PRE_BIRTH, maternity.unit_id if maternity else None, Role.MIDWIFE)
    school = _latest(enrolments, SCHOOL_KINDS, on)
    if on >= add_years(birth_date, rules.end_age_years):
        if rules.continue_in_upper_secondary and school and school.kind == "upper_secondary":
            return Target(Stage.SCHOOL, school.unit_id, Role.HEAD_TEACHER)
        return None
    if school:
        return Target(Stage.SCHOOL, school.unit_id, Role.HEAD_TEACHER)
    child_health = _latest(enrolments, ("child_health",), on)
    return Target(Stage.CHILD_HEALTH, child_health.unit_id if child_health else None, Role.CHILD_HEALTH_NURSE)
