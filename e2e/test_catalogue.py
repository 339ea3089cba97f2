"""The catalogue in a browser, on a phone and on a desktop: a citizen finding help, a provider keeping its entries."""

from __future__ import annotations

import pytest

from catalogue.models import Intervention
from catalogue.tests.setup import build, rate
from e2e.helpers import axe_violations, check_page, describe, log_in, switch_language
from sharing import policy

VIEWPORTS = {"phone": {"width": 375, "height": 740}, "desktop": {"width": 1280, "height": 900}}


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_citizen_finds_help_for_a_seven_year_old_with_anxiety(page, cast, viewport):
    build(cast)
    page.set_viewport_size(VIEWPORTS[viewport])
    page.goto("/var-vander-jag-mig/")
    page.get_by_label("Barnets ålder").select_option("7")
    page.get_by_label("Vad gäller det?").select_option(label="Oro, ångest eller nedstämdhet")
    page.get_by_role("button", name="Visa stöd").click()
    page.wait_for_url("**alder=7**")
    results = page.locator(".guide-entry h3")
    assert results.all_inner_texts() == ["Cool Kids"]
    assert page.get_by_role("link", name="116 111").is_visible()
    assert not page.context.cookies()
    violations = axe_violations(page)
    assert not violations, describe(violations)


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_public_guide_is_accessible_in_both_languages(page, cast, language):
    build(cast)
    check_page(page, f"/var-vander-jag-mig/?sprak={language}&alder=7", language=language)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_provider_updates_a_waiting_time_from_its_own_list(page, cast, viewport):
    build(cast)
    Intervention.objects.filter(name="Cool Kids").update(waiting_confirmed_on=None)
    page.set_viewport_size(VIEWPORTS[viewport])
    log_in(page, cast.bvc_nurse)
    page.goto("/insatser/mina/")
    page.get_by_role("link", name="Cool Kids").click()
    page.get_by_label("Väntetid i veckor").fill("7")
    page.get_by_role("button", name="Bekräfta väntetid").click()
    assert page.get_by_text("Väntetiden är bekräftad i dag.").is_visible()
    cool = Intervention.objects.get(name="Cool Kids")
    assert (cool.waiting_weeks, cool.waiting_confirmed_on) == (7, policy.today())


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_a_practitioner_finds_interventions_from_the_childs_wheel(page, cast, viewport):
    build(cast)
    rate(cast, healthy=2, safe=4, nurtured=5)
    page.set_viewport_size(VIEWPORTS[viewport])
    log_in(page, cast.teacher)
    page.goto(f"/valbefinnande/barn/{cast.child.pk}/hjulet/")
    page.get_by_role("link", name="Förslag på insatser").click()
    page.wait_for_url("**/forslag/")
    first = page.locator("ol.link-list li").first
    assert "Cool Kids" in first.inner_text()
    assert "Indikerad insats för Frisk (skattat 2 av 5)" in first.inner_text()
    violations = axe_violations(page)
    assert not violations, describe(violations)


CATALOGUE_PAGES = [
    "/insatser/",
    "/insatser/pyramid/",
    "/insatser/aktorskarta/",
    "/insatser/utforare/",
    "/insatser/mina/",
    "/insatser/ny/",
    "/insatser/import/",
]


@pytest.mark.parametrize("language", ["sv", "en"])
def test_the_catalogue_pages_are_accessible_in_both_languages(page, cast, language):
    build(cast)
    log_in(page, cast.bvc_nurse)
    if language == "en":
        page.goto("/insatser/")
        switch_language(page, "en")
    detail = f"/insatser/{Intervention.objects.get(name='Cool Kids').pk}/"
    for url in [*CATALOGUE_PAGES, detail]:
        check_page(page, url, language=language)
