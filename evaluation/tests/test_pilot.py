"""The pilot comparison on the hand-built world: baseline vs pilot vs control and the DiD estimate."""

from __future__ import annotations

import math
from datetime import date

import pytest

from evaluation.models import Pilot
from evaluation.pilot import compare, outcomes, periods, scopes
from evaluation.tests import world as w
from namedperson.models import Stage


@pytest.fixture
def world(db):
    return w.build_world()


def test_it_estimates_the_difference_in_differences_with_its_interval(world):
    # Pilot in Väst (Alva, Bo) from 1 Jan 2026 for 6 months; the control is every other area (Cleo, Dana).
    pilot = Pilot.objects.create(
        municipality=world.municipality, name="Pilot Väst", area="Väst", start=date(2026, 1, 1), months=6
    )
    w.assign(world, "Alva", Stage.SCHOOL, date(2021, 8, 15))
    w.assign(world, "Bo", Stage.SCHOOL, date(2026, 1, 1))  # got a named person when the pilot began
    w.assign(world, "Cleo", Stage.CHILD_HEALTH, date(2020, 2, 12))
    before, after = periods(pilot, date(2026, 12, 1))
    assert (before.start, before.end, after.start, after.end) == (
        date(2025, 7, 1),
        date(2025, 12, 31),
        date(2026, 1, 1),
        date(2026, 6, 30),
    )
    result = compare(pilot, "coverage", today=date(2026, 12, 1))
    means = {key: group.mean for key, group in result.groups.items()}
    # Coverage on each period's last day: pilot 1/2 before, 2/2 after; control 1/2 before and after.
    assert means == {"pilot_before": 0.5, "pilot_after": 1.0, "control_before": 0.5, "control_after": 0.5}
    # DiD = (1.0 − 0.5) − (0.5 − 0.5) = 0.5, i.e. 50 percentage points.
    assert result.estimate == pytest.approx(0.5)
    # Sample variances: [1,0] → 0.5, [1,1] → 0; SE = √(0.5/2 + 0/2 + 0.5/2 + 0.5/2) = √0.75 ≈ 0.866;
    # the interval is 0.5 ± 1.96 × 0.866 = −1.197 … 2.197.
    se = math.sqrt(0.75)
    assert result.low == pytest.approx(0.5 - 1.96 * se)
    assert result.high == pytest.approx(0.5 + 1.96 * se)
    assert result.scaled(result.estimate) == 50.0
    # With two children in every group nothing may be published.
    assert result.hidden


def test_the_demo_step_adds_one_pilot_per_municipality_once(world):
    from evaluation.demo import demo_pilot_build

    # Enrolled: Väst 2 children, Öst 3; a tenth of 5 is 0.5, nearest is Väst. The cast-free world has one
    # municipality with two areas, so one pilot; a second run changes nothing.
    assert demo_pilot_build(today=date(2026, 12, 1)) == 1
    assert demo_pilot_build(today=date(2026, 12, 1)) == 0
    pilot = Pilot.objects.get()
    assert (pilot.area, pilot.start, pilot.months) == ("Väst", date(2026, 6, 1), 12)


def test_a_pilot_of_units_with_a_chosen_baseline_and_end_compares_every_kpi(world):
    # Pilot at Västskolan (Alva, Bo) against Östskolan (Cleo, Dana); baseline 1 Mar – 31 Dec 2025; ended 31 Mar 2026.
    pilot = Pilot.objects.create(
        municipality=world.municipality,
        name="Pilot Västskolan",
        start=date(2026, 1, 1),
        months=12,
        baseline_start=date(2025, 3, 1),
        baseline_end=date(2025, 12, 31),
        ended_on=date(2026, 3, 31),
    )
    pilot.units.add(world.west)
    pilot.control_units.add(world.east)
    before, after = periods(pilot, date(2026, 12, 1))
    assert (before.start, before.end, after.start, after.end) == (
        date(2025, 3, 1),
        date(2025, 12, 31),
        date(2026, 1, 1),
        date(2026, 3, 31),
    )
    w.assign(world, "Alva", Stage.SCHOOL, date(2021, 8, 15))
    w.assign(world, "Bo", Stage.SCHOOL, date(2026, 1, 1))
    w.assign(world, "Dana", Stage.SCHOOL, date(2026, 2, 1))
    result = compare(pilot, "coverage", today=date(2026, 12, 1))
    # Pilot: 1/2 before, 2/2 after; control (Cleo, Dana): 0/2 before, 1/2 after → DiD = 0.5 − 0.5 = 0.
    means = {key: group.mean for key, group in result.groups.items()}
    assert means == {"pilot_before": 0.5, "pilot_after": 1.0, "control_before": 0.0, "control_after": 0.5}
    assert result.estimate == pytest.approx(0.0)
    # Every KPI can be compared; with two children per group nothing is published.
    for key in outcomes():
        comparison = compare(pilot, key, today=date(2026, 12, 1))
        assert set(comparison.groups) == {"pilot_before", "pilot_after", "control_before", "control_after"}
        assert comparison.hidden


def test_the_default_control_group_is_every_other_unit(world):
    pilot = Pilot.objects.create(municipality=world.municipality, name="Pilot", start=date(2026, 1, 1), months=6)
    pilot.units.add(world.west)
    in_pilot, control = scopes(pilot)
    assert in_pilot.unit_ids == (world.west.pk,) and control.exclude_unit_ids == (world.west.pk,)
    assert set(control.children(date(2026, 6, 30)).values_list("given_name", flat=True)) == {"Cleo", "Dana"}
