"""An analyst follows up the municipality's figures in a browser: menu, dashboard with a chart, pilot page."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from e2e.helpers import check_page, log_in, switch_language
from evaluation.models import Pilot
from namedperson.models import Assignment, Stage
from organisations.models import Role
from sharing import policy
from testsupport.cast import make_child


@pytest.fixture
def figures(cast):
    """Ten more children, five with a named person: enough that the coverage share may be published."""
    today = policy.today()
    for i in range(10):
        child = make_child(cast.municipality, born=date(today.year - 8, 1, 1 + i), given=f"Barn{i}", family="E2e")
        if i < 5:
            Assignment.objects.create(
                child=child,
                person=cast.named_person,
                unit=cast.school,
                role=Role.HEAD_TEACHER,
                stage=Stage.SCHOOL,
                start=today - timedelta(days=30),
                owner_authority=cast.education,
            )
    return Pilot.objects.create(
        municipality=cast.municipality, name="Pilot i centrum", area="Centrum", start=today - timedelta(days=90)
    )


def test_an_analyst_reads_the_dashboard_and_the_pilot(page, cast, figures):
    log_in(page, cast.analyst)
    page.get_by_role("link", name="Uppföljning").first.click()
    page.get_by_role("link", name=cast.municipality.name, exact=True).click()
    page.get_by_role("heading", name="Barn med namngiven person").wait_for()
    page.locator(".evaluation-chart canvas").first.wait_for()  # vega-embed drew the chart under the CSP
    assert page.get_by_role("table").first.is_visible()  # the same figures as a table
    page.get_by_role("link", name="Pilot i centrum").click()
    page.get_by_role("heading", name="Skillnad i skillnader").wait_for()
    assert "Antal under 5 visas inte" in page.content()


def test_the_follow_up_pages_are_accessible_in_both_languages(page, cast, figures):
    log_in(page, cast.analyst)
    for language in ("sv", "en"):
        if language == "en":
            switch_language(page, "en")
        check_page(page, "/uppfoljning/", language=language)
        check_page(page, f"/uppfoljning/kommun/{cast.municipality.pk}/", language=language)
        check_page(page, f"/uppfoljning/pilot/{figures.pk}/", language=language)
        check_page(page, f"/uppfoljning/kommun/{cast.municipality.pk}/ny-pilot/", language=language)
        check_page(page, f"/uppfoljning/pilot/{figures.pk}/andra/", language=language)


def test_an_analyst_defines_a_pilot_and_compares_another_kpi(page, cast, figures):
    log_in(page, cast.analyst)
    page.goto("/uppfoljning/")
    page.get_by_role("link", name=f"Lägg till en pilot i {cast.municipality.name}").click()
    page.get_by_label("Namn på piloten").fill("Tidiga samtal i Öster")
    page.get_by_label("Pilotområde").select_option("Öster")
    page.get_by_label("Piloten startar").fill((policy.today() - timedelta(days=60)).isoformat())
    page.get_by_label("Kontrollområde").select_option("Öster")  # the pilot's own area: refused
    page.get_by_role("button", name="Spara piloten").click()
    page.get_by_text("Kontrollgruppen får inte innehålla pilotens område eller enheter.").first.wait_for()
    page.get_by_label("Kontrollområde").select_option("")
    page.get_by_role("button", name="Spara piloten").click()
    page.get_by_role("heading", name="Tidiga samtal i Öster").wait_for()
    page.get_by_label("Nyckeltal att jämföra").select_option("reviews_on_time")
    page.get_by_role("button", name="Visa").click()
    page.get_by_role("heading", name="Planer som följs upp i tid").wait_for()
    assert Pilot.objects.filter(name="Tidiga samtal i Öster", area="Öster").exists()
