"""Every KPI on the hand-built world of `world.py`, with the expected value worked out in the comments."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from django.db import connection

from evaluation import kpis, sql
from evaluation.tests import world as w
from evaluation.tests.world import PERIOD
from namedperson.models import Stage
from plans.models import Status
from sharing.models import Consent


@pytest.fixture(autouse=True, params=["sql", "orm"])
def engine(request, monkeypatch):
    """Every test twice: with the raw statements of `evaluation.sql` and with the ORM querysets they replace."""
    if request.param == "orm":
        monkeypatch.setattr(sql, "available", lambda: False)
    return request.param


@pytest.fixture
def world(db):
    return w.build_world()


def values(result):
    return {figure.label: figure for figure in result.figures}


def test_it_counts_named_person_coverage_by_stage(world):
    # Alva has a school-stage named person on 30 June 2026; Bo's ended on 1 January 2026; Cleo has a
    # child-health one; Dana none. Eje (18) and the expected child are not counted: n = 4, covered = 2 → 50 %.
    w.assign(world, "Alva", Stage.SCHOOL, date(2021, 8, 15))
    w.assign(world, "Bo", Stage.SCHOOL, date(2021, 8, 15), date(2026, 1, 1))
    w.assign(world, "Cleo", Stage.CHILD_HEALTH, date(2020, 2, 12))
    w.assign(world, "Eje", Stage.SCHOOL, date(2015, 1, 1))
    result = kpis.named_person_coverage(world.scope, PERIOD)
    figure = result.figures[0]
    assert (figure.n, figure.count, figure.value) == (4, 2, 50.0)
    # By stage: one at school, one in child health, none before birth, two without.
    counts = result.table.counts
    assert counts[("n", Stage.SCHOOL)] == 1
    assert counts[("n", Stage.CHILD_HEALTH)] == 1
    assert counts[("n", Stage.PRE_BIRTH)] == 0
    assert counts[("n", "none")] == 2


def test_its_filters_narrow_the_children(world):
    w.assign(world, "Alva", Stage.SCHOOL, date(2021, 8, 15))
    w.assign(world, "Cleo", Stage.CHILD_HEALTH, date(2020, 2, 12))
    # Boys: Alva and Cleo, both covered → 2 of 2.
    boys = kpis.named_person_coverage(replace(world.scope, gender="M"), PERIOD).figures[0]
    assert (boys.n, boys.count) == (2, 2)
    # Girls: Bo and Dana, none covered.
    girls = kpis.named_person_coverage(replace(world.scope, gender="K"), PERIOD).figures[0]
    assert (girls.n, girls.count) == (2, 0)
    # 6–12 years: Alva (11), Bo (10), Cleo (6) → 2 of 3 = 66.7 %.
    middle = kpis.named_person_coverage(replace(world.scope, age_band="6-12"), PERIOD).figures[0]
    assert (middle.n, middle.count, middle.value) == (3, 2, 66.7)
    # Area Väst: Alva and Bo → 1 of 2; unit Östskolan: Cleo and Dana → 1 of 2; control = not Väst, the same.
    west = kpis.named_person_coverage(replace(world.scope, area="Väst"), PERIOD).figures[0]
    east = kpis.named_person_coverage(replace(world.scope, unit_ids=(world.east.pk,)), PERIOD).figures[0]
    not_west = kpis.named_person_coverage(replace(world.scope, exclude_area="Väst"), PERIOD).figures[0]
    assert (west.n, west.count) == (2, 1)
    assert (east.n, east.count) == (2, 1) == (not_west.n, not_west.count)


def test_it_measures_time_from_first_concern_to_first_support(world):
    # Alva: concern 1 Sep 2025, action starts 11 Sep → 10 days.
    w.concern(world, "Alva", date(2025, 9, 1))
    w.action(world, w.plan(world, "Alva", date(2025, 9, 1)), date(2025, 9, 11))
    # Bo: first concern 1 June 2025 is before the period, so Bo is not counted.
    w.concern(world, "Bo", date(2025, 6, 1))
    w.concern(world, "Bo", date(2025, 10, 1))
    # Cleo: concern 10 Jan 2026; an action from 1 Dec 2025 came before it and does not count; the next,
    # on 9 Feb 2026, is 30 days later.
    w.concern(world, "Cleo", date(2026, 1, 10))
    cleo = w.plan(world, "Cleo", date(2025, 11, 1))
    w.action(world, cleo, date(2025, 12, 1))
    w.action(world, cleo, date(2026, 2, 9))
    # Dana: concern 1 Mar 2026, no support yet (waiting).
    w.concern(world, "Dana", date(2026, 3, 1))
    result = values(kpis.time_to_support(world.scope, PERIOD))
    # Days [10, 30]: median 20; 90th percentile 10 + 0.9 × 20 = 28. Supported 2 of 3 = 66.7 %.
    assert result["Median, dagar"].value == 20
    assert result["90:e percentilen, dagar"].value == 28
    assert (result["Har fått stöd"].n, result["Har fått stöd"].count, result["Har fått stöd"].value) == (3, 2, 66.7)


def test_it_counts_plans_reviewed_on_time(world):
    # Open on 30 June 2026: Alva's (next review 15 July, on time) and Cleo's (1 June, overdue) → 1 of 2.
    # Bo's plan is closed and Dana's a draft: neither counts.
    w.plan(world, "Alva", date(2025, 9, 1), next_review=date(2026, 7, 15))
    w.plan(world, "Cleo", date(2025, 12, 1), next_review=date(2026, 6, 1))
    w.plan(world, "Bo", date(2025, 9, 1), status=Status.CLOSED, closed=date(2025, 11, 1), next_review=date(2025, 1, 1))
    w.plan(world, "Dana", date(2026, 1, 1), status=Status.DRAFT, next_review=date(2026, 1, 1))
    figure = kpis.reviews_on_time(world.scope, PERIOD).figures[0]
    assert (figure.n, figure.count, figure.value) == (2, 1, 50.0)


def test_it_counts_consents_per_recipient_kind(world):
    social, education = world.social, world.education
    w.consent(world, "Alva", [social], Consent.Status.DECLINED, date(2025, 8, 1))
    w.consent(world, "Bo", [social], Consent.Status.GIVEN, date(2025, 9, 1))
    w.consent(world, "Cleo", [social, education], Consent.Status.WITHDRAWN, date(2025, 10, 1))
    w.consent(world, "Dana", [education], Consent.Status.GIVEN, date(2026, 1, 1))
    w.consent(world, "Alva", [education], Consent.Status.REQUESTED, date(2026, 2, 1))
    w.consent(world, "Alva", [social], Consent.Status.GIVEN, date(2025, 1, 1))  # before the period
    result = kpis.consents(world.scope, PERIOD)
    counts = result.table.counts
    # Social services: asked Alva, Bo, Cleo = 3; given Bo + Cleo (withdrawn, but once given) = 2;
    # declined Alva = 1; withdrawn Cleo = 1.
    assert [counts[("social_services", c)] for c in kpis.CONSENT_COLUMNS] == [3, 2, 1, 1]
    # Education: asked Cleo, Dana, Alva (pending) = 3; given Cleo + Dana = 2; declined 0; withdrawn Cleo = 1.
    assert [counts[("education", c)] for c in kpis.CONSENT_COLUMNS] == [3, 2, 0, 1]
    assert values(result)["Socialtjänst"].value == pytest.approx(66.7)
    # Every consent once: five asked in the period (Cleo's two recipients count once), three given.
    overall = values(result)["Alla mottagare"]
    assert (overall.n, overall.count) == (5, 3)


def test_it_counts_reactualisation_within_a_year(world):
    # Bo's plan closed 1 Nov 2025 and a new concern came 1 Mar 2026 → again.
    w.plan(world, "Bo", date(2025, 9, 1), status=Status.CLOSED, closed=date(2025, 11, 1))
    w.concern(world, "Bo", date(2026, 3, 1))
    # Dana's closed 1 Apr 2026 after her concern of 1 Mar 2026 and nothing came after → not again.
    w.plan(world, "Dana", date(2026, 1, 1), status=Status.CLOSED, closed=date(2026, 4, 1))
    w.concern(world, "Dana", date(2026, 3, 1))
    # Cleo's closed 1 Feb 2025, before the period: not counted though a plan followed.
    w.plan(world, "Cleo", date(2024, 9, 1), status=Status.CLOSED, closed=date(2025, 2, 1))
    w.plan(world, "Cleo", date(2025, 3, 1))
    figure = kpis.reactualisation(world.scope, PERIOD).figures[0]
    assert (figure.n, figure.count, figure.value) == (2, 1, 50.0)


def test_it_measures_the_wellbeing_change_within_a_plan(world):
    # Alva's plan from 1 Sep 2025: the wheel of 1 Aug (before the plan) is ignored; first 1 Oct mean 2,
    # latest 1 May 2026 mean (3+4)/2 = 3.5 → +1.5.
    w.plan(world, "Alva", date(2025, 9, 1))
    w.wheel(world, "Alva", date(2025, 8, 1), [1, 1])
    w.wheel(world, "Alva", date(2025, 10, 1), [2, 2, 2])
    w.wheel(world, "Alva", date(2026, 5, 1), [3, 4])
    # Cleo's plan from 1 Dec 2025: 15 Jan mean 4, 1 Apr mean 3 → −1; the wheel after the period is ignored.
    w.plan(world, "Cleo", date(2025, 12, 1))
    w.wheel(world, "Cleo", date(2026, 1, 15), [4, 4])
    w.wheel(world, "Cleo", date(2026, 4, 1), [3, 3])
    w.wheel(world, "Cleo", date(2026, 8, 1), [5, 5])
    # Dana has one wheel only: not counted.
    w.plan(world, "Dana", date(2026, 1, 1))
    w.wheel(world, "Dana", date(2026, 2, 1), [2, 2])
    result = values(kpis.wellbeing_change(world.scope, PERIOD))
    # Mean change (1.5 − 1) / 2 = 0.25; better 1 of 2, worse 1 of 2.
    assert result["Genomsnittlig förändring, skalsteg"].value == 0.25
    assert result["Genomsnittlig förändring, skalsteg"].n == 2
    assert (result["Bättre"].count, result["Sämre"].count) == (1, 1)


def test_it_counts_the_sdq_band_change(world):
    bands = w.sdq_bands()
    # Alva: 18 (abnormal) → 12 (normal): better. Cleo: 10 (normal) → 15 (borderline): worse.
    w.sdq(world, "Alva", date(2025, 9, 1), 18, bands["abnormal"])
    w.sdq(world, "Alva", date(2026, 3, 1), 12, bands["normal"])
    w.sdq(world, "Cleo", date(2026, 2, 1), 10, bands["normal"])
    w.sdq(world, "Cleo", date(2026, 5, 1), 15, bands["borderline"])
    # Dana has one form; Bo's latest form is before the period: neither counts.
    w.sdq(world, "Dana", date(2026, 2, 1), 20, bands["abnormal"])
    w.sdq(world, "Bo", date(2025, 1, 1), 20, bands["abnormal"])
    w.sdq(world, "Bo", date(2025, 2, 1), 5, bands["normal"])
    result = values(kpis.sdq_band_change(world.scope, PERIOD))
    assert (result["Lägre band (bättre)"].n, result["Lägre band (bättre)"].count) == (2, 1)
    assert result["Högre band (sämre)"].count == 1


def test_a_small_figure_is_hidden(world):
    # Two children behind the figure are fewer than the threshold of 5: the value is not shown.
    w.assign(world, "Alva", Stage.SCHOOL, date(2021, 8, 15))
    figure = kpis.named_person_coverage(world.scope, PERIOD).figures[0]
    assert figure.hidden and figure.shown is None


def test_it_counts_waiting_times_from_referral_to_start_and_from_handover_proposal_to_acceptance(world):
    # Referrals in the period: Alva waited 10 days, Bo 30, Cleo 40, Dana is still waiting; one of Alva's
    # from before the period is not counted. Median of 10, 30, 40 = 30; 90th percentile 30 + 0.8 × 10 = 38.
    w.referral(world, "Alva", date(2025, 9, 1), date(2025, 9, 11), status="started")
    w.referral(world, "Bo", date(2025, 10, 1), date(2025, 10, 31), status="started")
    w.referral(world, "Cleo", date(2026, 1, 10), date(2026, 2, 19), status="completed")
    w.referral(world, "Dana", date(2026, 5, 1))
    w.referral(world, "Alva", date(2025, 1, 1), date(2025, 2, 1), status="started")
    figures = values(kpis.referral_waits(world.scope, PERIOD))
    assert (figures["Median, dagar"].value, figures["90:e percentilen, dagar"].value) == (30.0, 38.0)
    assert (figures["Insatsen har startat"].n, figures["Insatsen har startat"].count) == (4, 3)
    # Handovers proposed in the period: Cleo's accepted after 7 days, Dana's after 21, Bo's superseded, Alva's open.
    w.handover(world, "Cleo", date(2025, 8, 1), date(2025, 8, 8), status="accepted")
    w.handover(world, "Dana", date(2026, 3, 1), date(2026, 3, 22), status="accepted")
    w.handover(world, "Bo", date(2026, 4, 1), status="superseded")
    w.handover(world, "Alva", date(2026, 6, 1))
    figures = values(kpis.handover_waits(world.scope, PERIOD))
    # Median of 7 and 21 = 14; 90th percentile 7 + 0.9 × 14 = 19.6; accepted 2 of 4.
    assert (figures["Median, dagar"].value, figures["90:e percentilen, dagar"].value) == (14.0, 19.6)
    assert (figures["Accepterade"].n, figures["Accepterade"].count) == (4, 2)


def test_a_child_handed_over_on_the_last_day_counts_once_and_in_both_stages(world):
    # Cleo's child-health named person ends on 30 June 2026 and the school's begins that day: both are open on
    # the period's last day. Cleo is one covered child, counted under child health and under school.
    w.assign(world, "Cleo", Stage.CHILD_HEALTH, date(2020, 2, 12), date(2026, 6, 30))
    w.assign(world, "Cleo", Stage.SCHOOL, date(2026, 6, 30))
    w.assign(world, "Alva", Stage.SCHOOL, date(2021, 8, 15), date(2026, 7, 31))  # ends after the day: open
    result = kpis.named_person_coverage(world.scope, PERIOD)
    assert (result.figures[0].n, result.figures[0].count) == (4, 2)
    counts = result.table.counts
    assert (counts[("n", Stage.CHILD_HEALTH)], counts[("n", Stage.SCHOOL)], counts[("n", "none")]) == (1, 2, 2)


def test_coverage_on_a_past_day_counts_periods_that_ended_after_it_and_not_those_that_began_later(world):
    # The period's last day, 30 June 2026, seen from later: Bo's child-health named person ended that day and
    # the school's began that day and has ended since (1 August 2026); Bo is one covered child, in both stages.
    # Dana's named person began on 1 July 2026, the day after: not covered on the day. Alva's is still open.
    w.assign(world, "Bo", Stage.CHILD_HEALTH, date(2016, 1, 1), date(2026, 6, 30))
    w.assign(world, "Bo", Stage.SCHOOL, date(2026, 6, 30), date(2026, 8, 1))
    w.assign(world, "Dana", Stage.SCHOOL, date(2026, 7, 1))
    w.assign(world, "Alva", Stage.SCHOOL, date(2021, 8, 15))
    # n = 4 (Alva, Bo, Cleo, Dana), covered = Alva and Bo = 2; child health: Bo; school: Alva and Bo; none: Cleo, Dana.
    result = kpis.named_person_coverage(world.scope, PERIOD)
    assert (result.figures[0].n, result.figures[0].count) == (4, 2)
    counts = result.table.counts
    assert (counts[("n", Stage.CHILD_HEALTH)], counts[("n", Stage.SCHOOL)], counts[("n", "none")]) == (1, 2, 2)


def test_the_coverage_statement_leaves_the_planner_settings_as_it_found_them(world):
    # Coverage is planned for one process (sql.ONE_PROCESS) by a setting local to its transaction; the page's
    # other statements and later requests on the same connection must plan as before.
    if not sql.available():
        pytest.skip("the raw statements run on PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL max_parallel_workers_per_gather = 3")
        kpis.named_person_coverage(world.scope, PERIOD)
        cursor.execute("SELECT current_setting('max_parallel_workers_per_gather')")
        assert cursor.fetchone() == ("3",)
