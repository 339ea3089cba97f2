"""Which stage a child is in on a given day, and which unit's role should be its named person.

A pure function of the birth date, the enrolments and the municipality's rules, so that the
handover service, the demo data and the tests share one definition.

Choices made where the sources leave room (DOMAIN.md A5):
- The midwife stays for the first days after birth even when the maternity enrolment ended at birth.
- Between two school enrolments (summer break, a move) the last school's head teacher stays;
  a child never falls back to child health care once school has started.
- After the end age the service continues only while upper secondary school has been attended
  without a break since the birthday, so a service that has ended never starts again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol

from namedperson.models import Stage
from organisations.models import Role

SCHOOL_KINDS = ("preschool_class", "school", "upper_secondary")
# Enrolment kinds the stage rules read; others (preschool, other contacts) never decide the named person.
RELEVANT_KINDS = ("maternity", "child_health", *SCHOOL_KINDS)
ONE_DAY = timedelta(days=1)


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


def _latest(spans: Iterable[EnrolmentSpan], kinds: tuple[str, ...], on: date) -> EnrolmentSpan | None:
    current = [s for s in spans if s.kind in kinds and s.covers(on)]
    return max(current, key=lambda s: (s.start, s.unit_id), default=None)


def _latest_or_last(spans: list[EnrolmentSpan], kinds: tuple[str, ...], on: date) -> EnrolmentSpan | None:
    """Return the current span, else the one that ended most recently before `on`."""
    current = _latest(spans, kinds, on)
    if current is not None:
        return current
    ended = [s for s in spans if s.kind in kinds and s.start <= on]  # none covers `on`, so all have ended
    return max(ended, key=lambda s: (s.end, s.start, s.unit_id), default=None)


def _upper_secondary_since(spans: list[EnrolmentSpan], since: date, on: date) -> EnrolmentSpan | None:
    """Return the upper-secondary span on `on` if upper secondary covered every day from `since` to `on`."""
    first_uncovered = since
    for span in sorted((s for s in spans if s.kind == "upper_secondary"), key=lambda s: s.start):
        if span.start > first_uncovered:
            break
        if span.end is None:
            first_uncovered = date.max
            break
        first_uncovered = max(first_uncovered, span.end + ONE_DAY)
    if first_uncovered <= on:
        return None
    return _latest(spans, ("upper_secondary",), on)


def expected_target(
    *, birth_date: date, is_expected: bool, enrolments: list[EnrolmentSpan], rules: Rules, on: date
) -> Target | None:
    """Return who should be the named person on `on`, or None when the service has ended."""
    if is_expected or on < birth_date + timedelta(days=rules.child_health_from_days):
        maternity = _latest_or_last(enrolments, ("maternity",), on)
        return Target(Stage.PRE_BIRTH, maternity.unit_id if maternity else None, Role.MIDWIFE)
    end_day = add_years(birth_date, rules.end_age_years)
    if on >= end_day:
        upper = _upper_secondary_since(enrolments, end_day, on) if rules.continue_in_upper_secondary else None
        return Target(Stage.SCHOOL, upper.unit_id, Role.HEAD_TEACHER) if upper else None
    school = _latest_or_last(enrolments, SCHOOL_KINDS, on)
    if school:
        return Target(Stage.SCHOOL, school.unit_id, Role.HEAD_TEACHER)
    child_health = _latest(enrolments, ("child_health",), on)
    return Target(Stage.CHILD_HEALTH, child_health.unit_id if child_health else None, Role.CHILD_HEALTH_NURSE)


def change_days(*, birth_date: date, enrolments: list[EnrolmentSpan], rules: Rules) -> set[date]:
    """Return every day on which the expected target may change (it is constant between them)."""
    days = {birth_date + timedelta(days=rules.child_health_from_days), add_years(birth_date, rules.end_age_years)}
    for span in enrolments:
        days.add(span.start)
        if span.end is not None and span.end < date.max:
            days.add(span.end + ONE_DAY)
    return days


def target_start(
    *, birth_date: date, is_expected: bool, enrolments: list[EnrolmentSpan], rules: Rules, on: date
) -> date:
    """Return the first day of the unbroken run, up to `on`, in which the expected target was what it is on `on`."""

    def target(day: date) -> Target | None:
        return expected_target(
            birth_date=birth_date, is_expected=is_expected, enrolments=enrolments, rules=rules, on=day
        )

    current = target(on)
    earlier = sorted(d for d in change_days(birth_date=birth_date, enrolments=enrolments, rules=rules) if d <= on)
    for day in reversed(earlier):
        if target(day - ONE_DAY) != current:
            return day
    return earlier[0] if earlier else on
