"""The stage function at every boundary: birth, day 11, school start, school change, 18, upper secondary."""

from __future__ import annotations

from datetime import date, timedelta

from namedperson.models import Stage
from namedperson.stages import DefaultRules, EnrolmentSpan, Target, expected_target, target_start
from organisations.models import Role

BORN = date(2010, 3, 14)
BMM, BVC, PRESCHOOL, SCHOOL_A, SCHOOL_B, GYMNASIUM = 1, 2, 3, 4, 5, 6
DEFAULTS = DefaultRules()
HISTORY = [
    EnrolmentSpan("maternity", BMM, date(2009, 9, 1), BORN),
    EnrolmentSpan("child_health", BVC, BORN + timedelta(days=3), date(2016, 8, 10)),
    EnrolmentSpan("preschool", PRESCHOOL, date(2011, 8, 15), date(2016, 6, 10)),
    EnrolmentSpan("preschool_class", SCHOOL_A, date(2016, 8, 17), date(2017, 6, 9)),
    EnrolmentSpan("school", SCHOOL_A, date(2017, 8, 16), date(2021, 6, 11)),
    EnrolmentSpan("school", SCHOOL_B, date(2021, 8, 18), date(2026, 6, 10)),
    EnrolmentSpan("upper_secondary", GYMNASIUM, date(2026, 8, 19), date(2029, 6, 12)),
]


def target(on: date, enrolments=HISTORY, rules=DEFAULTS, *, is_expected: bool = False) -> Target | None:
    return expected_target(birth_date=BORN, is_expected=is_expected, enrolments=enrolments, rules=rules, on=on)


def test_it_gives_the_midwife_before_birth():
    assert target(date(2009, 10, 1)) == Target(Stage.PRE_BIRTH, BMM, Role.MIDWIFE)


def test_it_keeps_the_midwife_for_an_expected_child_whatever_the_date():
    assert target(date(2011, 1, 1), is_expected=True) == Target(Stage.PRE_BIRTH, BMM, Role.MIDWIFE)


def test_it_keeps_the_midwife_until_day_10_even_though_the_maternity_enrolment_ended_at_birth():
    assert target(BORN + timedelta(days=10)) == Target(Stage.PRE_BIRTH, BMM, Role.MIDWIFE)


def test_it_hands_over_to_child_health_on_day_11():
    assert target(BORN + timedelta(days=11)) == Target(Stage.CHILD_HEALTH, BVC, Role.CHILD_HEALTH_NURSE)


def test_it_follows_a_municipality_that_chose_another_day():
    rules = DefaultRules(child_health_from_days=14)
    assert target(BORN + timedelta(days=13), rules=rules).stage == Stage.PRE_BIRTH
    assert target(BORN + timedelta(days=14), rules=rules).stage == Stage.CHILD_HEALTH


def test_it_has_no_unit_when_the_child_is_not_listed_at_a_bvc():
    no_bvc = [s for s in HISTORY if s.kind != "child_health"]
    assert target(BORN + timedelta(days=11), enrolments=no_bvc) == Target(
        Stage.CHILD_HEALTH, None, Role.CHILD_HEALTH_NURSE
    )


def test_it_keeps_child_health_through_preschool():
    assert target(date(2016, 6, 1)) == Target(Stage.CHILD_HEALTH, BVC, Role.CHILD_HEALTH_NURSE)


def test_it_hands_over_to_the_head_teacher_when_preschool_class_starts():
    assert target(date(2016, 8, 17)) == Target(Stage.SCHOOL, SCHOOL_A, Role.HEAD_TEACHER)


def test_it_keeps_the_last_school_over_the_summer_between_two_schools():
    assert target(date(2021, 7, 1)) == Target(Stage.SCHOOL, SCHOOL_A, Role.HEAD_TEACHER)


def test_it_hands_over_to_the_next_school_on_its_first_day():
    assert target(date(2021, 8, 17)).unit_id == SCHOOL_A
    assert target(date(2021, 8, 18)).unit_id == SCHOOL_B


def test_it_ends_the_service_on_the_18th_birthday_without_upper_secondary():
    left_school = [s for s in HISTORY if s.kind != "upper_secondary"]
    assert target(date(2028, 3, 13), enrolments=left_school) == Target(Stage.SCHOOL, SCHOOL_B, Role.HEAD_TEACHER)
    assert target(date(2028, 3, 14), enrolments=left_school) is None


def test_it_continues_past_18_while_in_upper_secondary():
    assert target(date(2028, 3, 14)) == Target(Stage.SCHOOL, GYMNASIUM, Role.HEAD_TEACHER)
    assert target(date(2029, 6, 12)) == Target(Stage.SCHOOL, GYMNASIUM, Role.HEAD_TEACHER)


def test_it_ends_the_service_the_day_after_upper_secondary_ends():
    assert target(date(2029, 6, 13)) is None


def test_it_ends_at_18_when_the_municipality_does_not_continue_in_upper_secondary():
    assert target(date(2028, 3, 14), rules=DefaultRules(continue_in_upper_secondary=False)) is None


def test_it_never_restarts_the_service_after_a_break_in_upper_secondary():
    with_gap = [*HISTORY[:-1], EnrolmentSpan("upper_secondary", GYMNASIUM, date(2026, 8, 19), date(2028, 6, 1))]
    later = [*with_gap, EnrolmentSpan("upper_secondary", GYMNASIUM, date(2028, 8, 20), None)]
    assert target(date(2028, 6, 2), enrolments=later) is None
    assert target(date(2028, 9, 1), enrolments=later) is None


def test_it_treats_29_february_birthdays_as_turning_18_on_1_march():
    leap = date(2008, 2, 29)
    facts = {"birth_date": leap, "is_expected": False, "enrolments": [], "rules": DefaultRules()}
    assert expected_target(**facts, on=date(2026, 2, 28)) is not None
    assert expected_target(**facts, on=date(2026, 3, 1)) is None


def test_it_finds_the_day_the_current_target_began():
    facts = {"birth_date": BORN, "is_expected": False, "enrolments": HISTORY, "rules": DefaultRules()}
    assert target_start(**facts, on=date(2018, 1, 1)) == date(2016, 8, 17)  # school A since preschool class
    assert target_start(**facts, on=date(2012, 1, 1)) == BORN + timedelta(days=11)
    assert target_start(**facts, on=date(2030, 1, 1)) == date(2029, 6, 13)  # the day the service ended
