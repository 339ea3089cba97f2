"""Programmes in a browser: a call is opened, an association applies, two assessors score, the award is
decided and followed up; a staff member registers for a lecture and evaluates it. axe-core on every page."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from e2e.helpers import axe_violations, check_page, describe, log_in, switch_language
from programmes import services
from programmes.models import Application, EventSession, FollowUp, GrantCall, Registration
from programmes.tests.setup import VIA, apply, make_call, make_event, make_programme


def _clean(page) -> None:
    violations = axe_violations(page)
    assert not violations, describe(violations)


def _stamp(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def _sign_out(page) -> None:
    page.context.clear_cookies()


def test_a_call_is_opened_applied_to_assessed_decided_and_followed_up(page, cast):
    programme, _line = make_programme(cast)
    log_in(page, cast.manager)
    page.goto(f"/program/{programme.pk}/")
    _clean(page)
    page.get_by_role("link", name="Ny utlysning").click()
    _clean(page)
    now = timezone.now()
    page.get_by_label("Rubrik").fill("Stimulans för goda exempel och goda idéer")
    page.get_by_label("Syfte").fill("Premiera goda exempel och stödja goda idéer.")
    page.get_by_label("Målgrupp").fill("Barn 0–9 år")
    page.get_by_label("Vem får söka").fill("Kommunala och fristående verksamheter samt föreningar")
    page.get_by_label("Öppnar").fill(_stamp(now - timedelta(hours=1)))
    page.get_by_label("Stänger").fill(_stamp(now + timedelta(days=10)))
    page.get_by_label("Bidragsnivåer").fill("50000,25000")
    page.get_by_label("Budget för utlysningen (kr)").fill("300000")
    page.get_by_label("Högsta poäng per kriterium").fill("5")
    page.get_by_label("Uppföljning senast").fill((timezone.localdate() + timedelta(days=120)).isoformat())
    page.get_by_label("Budgetpost").select_option(index=1)
    page.get_by_label("Urvalskriterier").fill("Inspirerande och stimulerande; 2\nTydligt barn- och familjefokus")
    page.get_by_role("button", name="Skapa utlysningen").click()
    call = GrantCall.objects.get()
    page.wait_for_url(f"**/program/utlysning/{call.pk}/")
    _clean(page)
    page.get_by_role("link", name="Rangordning, bedömare och beslut").click()
    for assessor in (cast.teacher, cast.social_worker):
        page.get_by_label("Lägg till bedömare").select_option(str(assessor.pk))
        page.get_by_role("button", name="Lägg till").click()
    _clean(page)
    assert call.assessors.count() == 2

    _sign_out(page)
    page.goto(f"/program/utlysning/{call.pk}/")
    page.get_by_role("link", name="Ansök som förening eller annan verksamhet").click()
    _clean(page)
    page.get_by_label("Verksamhet eller förening").fill("Svenska med baby")
    page.get_by_label("Kontaktperson").fill("Ziyoda K")
    page.get_by_label("E-post").fill("svenska@example.org")
    page.get_by_label("Idéns namn").fill("Svenska med baby")
    page.get_by_label("Beskrivning").fill("Träffar som bryter isolering, med bibliotek och familjecentral.")
    page.get_by_label("Sökt belopp (kr)").fill("40000")
    page.get_by_label("Får publiceras").check()
    page.get_by_role("button", name="Spara utkast").click()
    page.wait_for_url("**/program/lank/**")
    link = page.url
    _clean(page)
    page.get_by_role("button", name="Skicka in ansökan").click()
    page.wait_for_load_state()
    application = Application.objects.get()
    assert application.status == Application.Status.SUBMITTED

    for assessor, value in ((cast.teacher, "4"), (cast.social_worker, "5")):
        log_in(page, assessor)
        page.goto(f"/program/utlysning/{call.pk}/bedomning/")
        _clean(page)
        page.get_by_role("link", name="Svenska med baby").click()
        _clean(page)
        page.get_by_label("Inspirerande och stimulerande (vikt 2)").select_option(value)
        page.get_by_label("Tydligt barn- och familjefokus (vikt 1)").select_option(value)
        page.get_by_label("Kommentar till Inspirerande och stimulerande").fill("Bryter isolering.")
        page.get_by_role("button", name="Spara bedömningen").click()
        page.wait_for_url(f"**/program/utlysning/{call.pk}/bedomning/")
        _sign_out(page)
    assert application.scores.count() == 4

    log_in(page, cast.manager)
    page.goto(f"/program/utlysning/{call.pk}/rangordning/")
    assert "13.50" in page.content() or "13,50" in page.content()  # (4*2+4 + 5*2+5) / 2
    page.get_by_role("link", name="Besluta om Svenska med baby").click()
    _clean(page)
    page.get_by_label("Bevilja").check()
    page.get_by_label("Belopp (kr)").fill("40000")
    page.get_by_label("Motivering").fill("Verksamheten bryter isolering och leder till gränslösa möten.")
    page.get_by_role("button", name="Spara beslutet").click()
    page.wait_for_url(f"**/program/utlysning/{call.pk}/rangordning/")
    _sign_out(page)

    page.goto(link)
    page.get_by_role("link", name="Lämna uppföljning").click()
    _clean(page)
    for question in (
        "Har bidraget använts enligt ansökan?",
        "Har ni uppnått förväntat resultat?",
        "Har ni fått ytterligare kunskap?",
        "Fortsätter arbetet?",
    ):
        page.get_by_role("group", name=question).get_by_label("Ja").check()
    page.get_by_label("Använt belopp (kr)").fill("40000")
    page.get_by_label("Vad andra kan lära sig").fill("Börja med biblioteket som mötesplats.")
    page.get_by_role("button", name="Lämna uppföljningen").click()
    page.wait_for_url(link)
    assert FollowUp.objects.get().submitted_at is not None

    page.goto("/program/beviljade-ideer/")
    assert "Börja med biblioteket som mötesplats." in page.content()
    check_page(page, "/program/beviljade-ideer/", language="sv")
    switch_language(page, "en")
    check_page(page, "/program/beviljade-ideer/", language="en")
    check_page(page, f"/program/utlysning/{call.pk}/", language="en")


def test_a_staff_member_registers_for_a_lecture_and_evaluates_it(page, cast):
    event, session = make_event(cast, capacity=100)
    log_in(page, cast.teacher)
    page.goto("/program/forelasningar/")
    _clean(page)
    page.get_by_role("link", name="Anmäl dig till Upptäcka och identifiera").click()
    _clean(page)
    page.get_by_label("Yrkesgrupp").select_option("preschool")
    page.get_by_role("button", name="Anmäl mig").click()
    page.wait_for_url("**/program/forelasningar/")
    assert Registration.objects.get().status == Registration.Status.PLACE
    EventSession.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - timedelta(hours=4), ends_at=timezone.now() - timedelta(hours=1)
    )
    page.reload()
    page.get_by_role("link", name="Utvärdera Upptäcka och identifiera").click()
    _clean(page)
    page.get_by_role("group", name="Betyg").get_by_label("5").check()
    page.get_by_role("group", name="Skulle du rekommendera").get_by_label("Ja").check()
    page.get_by_label("Kommentar").fill("Bra exempel från förskolan.")
    page.get_by_role("button", name="Skicka utvärderingen").click()
    page.wait_for_url("**/program/forelasningar/")
    assert Registration.objects.get().evaluation.rating == 5

    _sign_out(page)
    log_in(page, cast.manager)
    check_page(page, f"/program/{event.programme_id}/forelasningar/", language="sv")
    assert "100 %" in page.content()
    check_page(page, "/program/", language="sv")
    switch_language(page, "en")
    check_page(page, f"/program/{event.programme_id}/forelasningar/", language="en")
    check_page(page, "/program/forelasningar/", language="en")


def test_the_managers_pages_are_accessible_in_both_languages(page, cast):
    call = make_call(cast)
    application = apply(call, unit=cast.school, created_by=cast.manager, organisation="Östra skolan")
    services.decision_make(
        application=application, awarded=True, amount=25000, motivation="Bra.", decided_by=cast.manager, via=VIA
    )
    event, session = make_event(cast)
    services.registration_create(session=session, user=cast.teacher, profession="school", unit=cast.school, via=VIA)
    programme = call.programme_id
    pages = [
        f"/program/{programme}/",
        "/program/nytt-program/",
        f"/program/{programme}/andra/",
        f"/program/{programme}/nytt-delprojekt/",
        f"/program/forelasning/{event.pk}/",
        f"/program/forelasning/{event.pk}/nytt-tillfalle/",
        f"/program/forelasningar/{session.pk}/stall-in/",
        f"/program/{programme}/uppfoljning/",
        f"/program/{programme}/budget/boka/",
        f"/program/forelasningar/{session.pk}/narvaro/",
        f"/program/ansokan/{application.pk}/",
        f"/program/ansokan/{application.pk}/uppfoljning/",
    ]
    log_in(page, cast.manager)
    for url in pages:
        check_page(page, url, language="sv")
    switch_language(page, "en")
    for url in pages:
        check_page(page, url, language="en")


def test_a_manager_creates_a_programme_and_an_event_with_a_session(page, cast):
    today = timezone.localdate()
    log_in(page, cast.manager)
    page.goto("/program/")
    page.get_by_role("link", name="Nytt program").click()
    _clean(page)
    page.get_by_label("Namn", exact=True).fill("Tidiga insatser")
    page.get_by_label("Ägare", exact=True).fill("Kommunstyrelsen")
    page.get_by_label("Startar", exact=True).fill(today.isoformat())
    page.get_by_label("Slutar", exact=True).fill((today - timedelta(days=1)).isoformat())
    page.get_by_label("Styrgrupp", exact=True).fill("Stadsdirektör\nSocialdirektör")
    page.get_by_role("button", name="Skapa programmet").click()
    assert page.get_by_text("Slutdatumet ligger före startdatumet").first.is_visible()
    _clean(page)
    page.get_by_label("Slutar", exact=True).fill((today + timedelta(days=365)).isoformat())
    page.get_by_role("button", name="Skapa programmet").click()
    page.get_by_role("link", name="Nytt delprojekt").click()
    page.get_by_label("Namn", exact=True).fill("Föreläsningsserie")
    page.get_by_role("button", name="Spara").click()
    page.get_by_role("link", name="Ny föreläsning").click()
    _clean(page)
    page.get_by_label("Rubrik", exact=True).fill("Samtal med barn")
    page.get_by_label("Plats", exact=True).fill("Stadshuset")
    page.get_by_label("Föreläsare", exact=True).fill("Ewa Westin")
    page.get_by_label("För vilka yrkesgrupper", exact=True).fill("Förskola, skola och socialtjänst")
    page.get_by_role("button", name="Skapa föreläsningen").click()
    _clean(page)
    page.get_by_role("link", name="Lägg till tillfälle").click()
    page.get_by_label("Datum", exact=True).fill((today + timedelta(days=14)).isoformat())
    page.get_by_label("Förmiddag (8.30–12.00)").check()
    page.get_by_label("Antal platser", exact=True).fill("75")
    _clean(page)
    page.get_by_role("button", name="Lägg till tillfället").click()
    assert page.get_by_text("Tillfället är tillagt.").is_visible()
    _clean(page)
    session = EventSession.objects.get()
    assert (session.event.title, session.capacity, session.event.programme.sub_projects.count()) == (
        "Samtal med barn",
        75,
        1,
    )
