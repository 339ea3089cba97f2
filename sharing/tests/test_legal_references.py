"""Legal references are versioned data: the version in force on a day is cited, unverified numbers say so."""

from __future__ import annotations

from datetime import date

import pytest

from sharing import legal
from sharing.models import LegalReference


@pytest.mark.parametrize(
    ("on", "law", "citation"),
    [
        (date(2025, 6, 30), "SoL (2001:453)", "14 kap. 1 § SoL (2001:453)"),
        (date(2025, 7, 1), "SoL (2025:400)", "SoL (2025:400) (kapitel och paragraf att verifiera)"),
    ],
)
def test_the_duty_to_report_in_force_changes_with_the_new_social_services_act(db, on, law, citation):
    reference = legal.reference_in_force(legal.DUTY_TO_REPORT, on=on)
    assert reference.short_law == law
    assert reference.citation == citation


def test_the_new_act_is_recorded_as_unverified_with_a_note(db):
    reference = legal.reference_in_force(legal.DUTY_TO_REPORT, on=date(2026, 1, 1))
    assert reference.verified is False
    assert "2025/26:12" in reference.note


def test_a_verified_section_entered_later_is_cited_from_its_first_day(db):
    LegalReference.objects.filter(key=legal.DUTY_TO_REPORT, valid_until__isnull=True).update(
        valid_until=date(2026, 6, 30)
    )
    LegalReference.objects.create(
        key=legal.DUTY_TO_REPORT,
        law="Socialtjänstlag (2025:400)",
        short_law="SoL (2025:400)",
        provision="99 kap. 1 §",
        title="Anmälningsskyldighet",
        valid_from=date(2026, 7, 1),
        verified=True,
    )
    assert legal.reference_in_force(legal.DUTY_TO_REPORT, on=date(2026, 7, 1)).citation == "99 kap. 1 § SoL (2025:400)"
    assert legal.reference_in_force(legal.DUTY_TO_REPORT, on=date(2026, 6, 30)).provision == ""


@pytest.mark.parametrize(
    ("key", "citation"),
    [
        (legal.EMERGENCY_ACCESS, "6 kap. 3–4 § PDL (2008:355) (att verifiera)"),
        (legal.DUTY_TO_INFORM, "10 kap. 28 § OSL (2009:400) (att verifiera)"),
        (legal.CONSENT, "12 kap. 2–3 § OSL (2009:400) (att verifiera)"),
    ],
)
def test_the_seeded_references_are_in_force_today(db, key, citation):
    assert legal.reference_in_force(key).citation == citation


def test_a_key_without_a_version_in_force_gives_none(db):
    assert legal.reference_in_force(legal.DUTY_TO_REPORT, on=date(1990, 1, 1)) is None
