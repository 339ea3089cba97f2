"""The practice model in a browser: a concern, the five questions, the wheel (the child's page too), axe on each."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from e2e.helpers import axe_violations, describe, log_in
from wellbeing.instrument_data import install_sdq
from wellbeing.models import Band, ChronologyEntry, FiveQuestions, Instrument, Subscale


def _clean(page) -> None:
    violations = axe_violations(page)
    assert not violations, describe(violations)


def test_a_teacher_records_a_concern_asks_the_five_questions_and_rates_the_wheel(page, cast):
    child = cast.child
    log_in(page, cast.teacher)
    page.goto(reverse("people:child", kwargs={"child_id": child.pk}))
    _clean(page)
    page.get_by_role("link", name="Skriv en oro, styrka eller händelse").click()
    page.wait_for_url("**/kronologi/ny/")
    _clean(page)
    page.get_by_label("Oro", exact=True).check()
    page.get_by_label("Datum", exact=True).fill((timezone.localdate() - timedelta(days=1)).isoformat())
    page.get_by_label("Vad hände?").fill("Alva satt ensam på rasten hela veckan.")
    page.get_by_label("Källa").fill("Rastvakt")
    page.get_by_label("Inkluderad").check()
    page.get_by_label("Negativ").check()
    page.get_by_role("button", name="Spara posten").click()
    entry = ChronologyEntry.objects.get()
    page.wait_for_url(f"**/kronologi/{entry.pk}/")
    _clean(page)

    page.get_by_role("link", name="Ställ de fem frågorna").click()
    _clean(page)
    page.get_by_label("1. Vad står i vägen").fill("Hon har inga kamrater i klassen.")
    page.get_by_label("2. Har jag all information").fill("Ja.")
    page.get_by_label("3. Vad kan jag göra nu").fill("Ordna lekgrupper på rasten.")
    page.get_by_label("4. Vad kan min verksamhet göra nu").fill("Kuratorn kan träffa Alva.")
    page.get_by_role("group", name="Finns det anledning att misstänka att barnet far illa?").get_by_label("Nej").check()
    page.get_by_label("Hanteras inom min verksamhet").check()
    page.get_by_label("Om inom min verksamhet: vad ska göras?").fill("Lekgrupper och samtal med kurator.")
    page.get_by_label("Om inom min verksamhet: när följs åtgärden upp?").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Spara svaren").click()
    page.wait_for_url(f"**/kronologi/{entry.pk}/")
    assert FiveQuestions.objects.get().outcome == "handled_here"
    assert "Lekgrupper och samtal med kurator." in page.content()

    page.goto(reverse("wellbeing:follow_ups"))
    assert "Dags att följa upp" in page.content()
    _clean(page)

    page.goto(reverse("wellbeing:chronology", kwargs={"child_id": child.pk}))
    assert "Alva satt ensam på rasten" in page.content()
    _clean(page)
    page.goto(reverse("wellbeing:chronology", kwargs={"child_id": child.pk}) + "?utskrift=1")
    _clean(page)

    page.goto(reverse("wellbeing:wheel_new", kwargs={"child_id": child.pk}))
    _clean(page)
    page.goto(reverse("wellbeing:wheel_child", kwargs={"child_id": child.pk}))
    _clean(page)
    page.locator("label.face", has_text="Jättebra").first.click()
    page.locator("label.face", has_text="Inte så bra").last.click()
    page.get_by_role("button", name="Klar – spara mina svar").click()
    page.wait_for_url("**/hjulet/")
    assert page.locator("svg.wheel-chart").count() == 1
    _clean(page)


def test_the_childs_page_has_large_touch_targets_on_a_tablet(browser, live_server, cast):
    context = browser.new_context(
        base_url=live_server.url, locale="sv-SE", viewport={"width": 768, "height": 1024}, has_touch=True
    )
    page = context.new_page()
    log_in(page, cast.teacher)
    page.goto(reverse("wellbeing:wheel_child", kwargs={"child_id": cast.child.pk}))
    assert page.locator("html").get_attribute("lang") == "sv"
    for face in page.locator("label.face").all()[:5]:
        box = face.bounding_box()
        assert box["width"] >= 44 and box["height"] >= 44
    _clean(page)
    context.close()


def test_the_assessment_instrument_and_family_pages_are_accessible(page, cast):
    sdq = install_sdq(Instrument, Subscale, Band)
    log_in(page, cast.teacher)
    for name, extra in (
        ("assessments", {}),
        ("triangle_new", {}),
        ("matrix_new", {}),
        ("instruments", {}),
        ("instrument_new", {"instrument_id": sdq.pk}),
        ("wheel", {}),
    ):
        page.goto(reverse(f"wellbeing:{name}", kwargs={"child_id": cast.child.pk, **extra}))
        assert page.locator("h1").count() == 1
        _clean(page)
    page.context.clear_cookies()
    log_in(page, cast.guardian_user)
    page.goto(reverse("wellbeing:family_wheel", kwargs={"child_id": cast.child.pk}))
    assert "Hur har Alva det?" in page.content()
    _clean(page)
