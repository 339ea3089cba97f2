"""Property: over any birth date and enrolment history, the child always has exactly one named person.

Days pass: on random days the proposal service runs (twice, to prove it idempotent) and the
receiving person sometimes accepts. Afterwards, on every day from the first assignment until the
last simulated day, exactly one assignment covers the day while the service lasts, none after.
"""

from __future__ import annotations

import itertools
import os
from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from namedperson.models import Assignment, HandoverProposal, StageRules
from namedperson.services import handover_accept, handover_propose_due
from namedperson.stages import DefaultRules, EnrolmentSpan, change_days, expected_target, target_start
from organisations.models import Authority, Membership, Municipality, Role, Unit
from testsupport.cast import enrol, make_child

User = get_user_model()

# Where in a child's life each kind of enrolment may start (days after birth), and the units to choose from.
KINDS = {
    "maternity": ((-280, 0), "maternity_clinic", Role.MIDWIFE),
    "child_health": ((0, 2000), "child_health_centre", Role.CHILD_HEALTH_NURSE),
    "preschool": ((300, 2000), "preschool", None),
    "preschool_class": ((2100, 2400), "school", Role.HEAD_TEACHER),
    "school": ((2200, 6000), "school", Role.HEAD_TEACHER),
    "upper_secondary": ((5500, 7300), "upper_secondary", Role.HEAD_TEACHER),
}
UNITS_PER_TYPE = 2


class World:
    """Units of every type and one eligible person for each, shared by all examples of a test."""

    def __init__(self) -> None:
        self.municipality = Municipality.objects.create(name="Egenskapsby", code="9998")
        authority = Authority.objects.create(
            name="Egenskapsbys huvudman", kind="municipal_committee", sector="education", municipality=self.municipality
        )
        self.units: dict[str, list[Unit]] = {}
        self.eligible: dict[tuple[int, str], object] = {}
        for _kind, (_span, unit_type, role) in KINDS.items():
            if unit_type in self.units:
                continue
            self.units[unit_type] = []
            for number in range(UNITS_PER_TYPE):
                unit = Unit.objects.create(authority=authority, name=f"{unit_type} {number}", unit_type=unit_type)
                self.units[unit_type].append(unit)
                if role:
                    user = User.objects.create_user(username=f"{unit_type}-{number}")
                    Membership.objects.create(user=user, unit=unit, role=role, valid_from=date(1980, 1, 1))
                    self.eligible[(unit.pk, role)] = user


@pytest.fixture
def world(db) -> World:
    return World()


spans = st.lists(
    st.tuples(
        st.sampled_from(sorted(KINDS)),
        st.integers(0, UNITS_PER_TYPE - 1),
        st.integers(0, 10_000),  # position within the kind's start window
        st.one_of(st.none(), st.integers(0, 4000)),  # length in days; None while current
    ),
    min_size=2,
    max_size=10,
)
rules = st.builds(
    DefaultRules,
    child_health_from_days=st.integers(5, 20),
    end_age_years=st.just(18),
    continue_in_upper_secondary=st.booleans(),
)


def build_spans(world: World, born: date, drawn) -> list[tuple[Unit, EnrolmentSpan]]:
    result = []
    for kind, unit_index, position, length in drawn:
        (low, high), unit_type, _role = KINDS[kind]
        start = born + timedelta(days=low + position % (high - low + 1))
        end = None if length is None else start + timedelta(days=length)
        unit = world.units[unit_type][unit_index]
        result.append((unit, EnrolmentSpan(kind=kind, unit_id=unit.pk, start=start, end=end)))
    return result


def covering(history: list[Assignment], day: date) -> int:
    return sum(1 for a in history if a.start <= day and (a.end is None or day < a.end))


@settings(
    max_examples=int(os.environ.get("NAMEDPERSON_EXAMPLES", 40)),
    deadline=None,
    # The world (units, staff) is built once per test; each example runs in a savepoint rolled back at its end.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    born=st.dates(date(2000, 1, 1), date(2012, 12, 31)),
    drawn=spans,
    chosen_rules=rules,
    event_offsets=st.lists(st.integers(-250, 7800), min_size=1, max_size=16, unique=True),
    data=st.data(),
)
def test_it_never_leaves_a_gap_or_an_overlap(world, born, drawn, chosen_rules, event_offsets, data):
    with transaction.atomic():
        simulate(world, born, drawn, chosen_rules, sorted(event_offsets), data)
        transaction.set_rollback(True)


def simulate(world: World, born: date, drawn, chosen_rules: DefaultRules, event_offsets: list[int], data) -> None:
    StageRules.objects.create(
        municipality=world.municipality,
        child_health_from_days=chosen_rules.child_health_from_days,
        end_age_years=chosen_rules.end_age_years,
        continue_in_upper_secondary=chosen_rules.continue_in_upper_secondary,
    )
    child = make_child(world.municipality, born=born, given="Egenskap", family="Testsson")
    enrolments = build_spans(world, born, drawn)
    for unit, span in enrolments:
        enrol(child, unit, span.kind, span.start, span.end)
    facts = {"birth_date": born, "is_expected": False, "enrolments": [s for _u, s in enrolments], "rules": chosen_rules}
    boundaries = sorted(change_days(birth_date=born, enrolments=facts["enrolments"], rules=chosen_rules))
    # Half the interesting days fall right at a boundary; the rest anywhere, so runs are both timely and late.
    near = data.draw(st.lists(st.tuples(st.sampled_from(boundaries), st.integers(-1, 1)), max_size=6))
    days = sorted(
        {born + timedelta(days=offset) for offset in event_offsets} | {d + timedelta(days=s) for d, s in near}
    )

    for day in days:
        handover_propose_due(on=day)
        again = handover_propose_due(on=day)
        assert (again.created, again.superseded, again.closed) == (0, 0, 0)
        proposal = HandoverProposal.objects.filter(child=child, status="open").first()
        if proposal and proposal.to_unit_id and proposal.due_date <= day and data.draw(st.booleans()):
            receiver = world.eligible[(proposal.to_unit_id, proposal.to_role)]
            accepted = handover_accept(proposal=proposal, user=receiver, on=day)
            event(f"accepted a {accepted.stage} handover")
            wanted = expected_target(**facts, on=day)
            assert (accepted.stage, accepted.unit_id, accepted.role) == (wanted.stage, wanted.unit_id, wanted.role)

    history = list(Assignment.objects.filter(child=child).order_by("start"))
    if not history:
        return
    for earlier, later in itertools.pairwise(history):
        assert earlier.end == later.start  # handed over the same day: no gap, no overlap
    checkpoints = {history[0].start, days[-1]} | {
        d + shift
        for d in change_days(birth_date=born, enrolments=facts["enrolments"], rules=chosen_rules) | set(days)
        for shift in (timedelta(days=-1), timedelta(0))
    }
    for day in sorted(d for d in checkpoints if history[0].start <= d <= days[-1]):
        in_service = expected_target(**facts, on=day) is not None
        assert covering(history, day) == (1 if in_service else 0), day
    event(f"{len(history)} assignment(s)")
    if expected_target(**facts, on=days[-1]) is None:
        event("service ended")
        assert history[-1].end == target_start(**facts, on=days[-1])  # closed on the day it ended, even if run late
