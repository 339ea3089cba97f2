"""One team meeting in a real browser: an anonymous consultation (identifying text refused), a case raised with
the family's consent, a theme, attendance, an action that lands in the child's plan, minutes approved by the chair.

Every new page is checked with axe-core (WCAG 2.1 A and AA) in Swedish and in English.
"""

from __future__ import annotations

from datetime import time, timedelta

from django.urls import reverse

from e2e.helpers import check_page, log_in, switch_language
from meetings.models import AgendaItem, CaseItem, Meeting
from meetings.tests.helpers import join, team_consent
from plans.models import Action
from plans.tests.setup import start
from sharing import policy
from teams.models import Team


def _world(cast):
    team = Team.objects.create(
        name="Barnombudsteam Öster", municipality=cast.municipality, kind="barnombudsteam", created_by=cast.manager
    )
    join(team, cast.named_person, cast.education, role="chair")
    join(team, cast.bvc_nurse, cast.region)
    join(team, cast.social_worker, cast.social)
    team_consent(cast, team)
    plan = start(cast)
    meeting = Meeting.objects.create(
        team=team,
        date=policy.today(),
        starts_at=time(13),
        ends_at=time(15),
        place="Kommunhuset",
        created_by=cast.manager,
    )
    return team, meeting, plan


def test_one_meeting_from_agenda_to_approved_minutes(page, cast):
    team, meeting, plan = _world(cast)
    log_in(page, cast.named_person)
    detail = reverse("meetings:detail", args=[meeting.pk])
    check_page(page, detail, language="sv")

    page.get_by_role("link", name="Anonym konsultation").click()
    page.get_by_label("Rubrik").fill("Pojke som ofta är hungrig")
    page.get_by_label("Ålder").select_option("3-6")
    page.get_by_label("Situationen").fill("Alva frågar efter mat varje förmiddag.")
    page.get_by_label("Frågan till teamet").fill("När ska vi bli oroliga?")
    page.get_by_role("button", name="Spara").click()
    assert page.get_by_text("namn som ett av barnen du arbetar med").first.is_visible()  # a child's name: refused
    assert not AgendaItem.objects.exists()
    page.get_by_label("Situationen").fill("Barnet frågar efter mat varje förmiddag.")
    page.get_by_role("button", name="Spara").click()
    page.wait_for_url(f"**{detail}")

    page.get_by_role("link", name="Ärende med samtycke").click()
    page.locator("main").get_by_role("combobox", name="Barn", exact=True).select_option(label="Alva Andersson")
    page.get_by_label("Det jag berättar är").select_option("education")
    page.get_by_label("Det här vill jag ta upp").fill("Hög frånvaro sedan höstlovet.")
    page.get_by_role("button", name="Spara").click()
    page.wait_for_url(f"**{detail}")

    page.get_by_role("link", name="Tema", exact=True).click()
    page.get_by_label("Rubrik").fill("Rutinen för orosanmälan")
    page.get_by_label("Beskrivning").fill("Socialtjänsten berättar hur en anmälan tas emot.")
    page.get_by_role("button", name="Spara").click()
    page.wait_for_url(f"**{detail}")
    assert AgendaItem.objects.count() == 2 and CaseItem.objects.count() == 1

    page.get_by_label("Hanna Rektorsson, för Barn- och utbildningsnämnden").check()
    page.get_by_label("Sofia Socionom, för Socialnämnden").check()
    page.get_by_role("button", name="Spara närvaro").click()
    page.wait_for_url(f"**{detail}")
    assert meeting.attendance.count() == 2

    page.get_by_role("link", name="Lägg till en åtgärd i Alvas plan").click()
    check_page(page, page.url, language="sv")
    page.get_by_label("Åtgärd").fill("Morgonstöd via familjecentralen")
    page.get_by_label("Klart senast").fill((policy.today() + timedelta(days=30)).isoformat())
    page.get_by_label("Förväntat resultat").fill("Färre sena morgnar.")
    page.get_by_role("button", name="Spara").click()
    page.wait_for_url(f"**{detail}")
    assert Action.objects.get(plan=plan).description == "Morgonstöd via familjecentralen"

    minutes = reverse("meetings:minutes", args=[meeting.pk])
    page.goto(minutes)
    page.get_by_label("Protokoll").fill("Teamet gav råd om förskolans matrutiner.")
    page.get_by_role("button", name="Spara protokollet").click()
    page.wait_for_url(f"**{minutes}")
    page.get_by_role("button", name="Justera protokollet").click()
    page.wait_for_url(f"**{minutes}")
    meeting.refresh_from_db()
    assert meeting.approved_by == cast.named_person
    assert page.get_by_role("heading", name="Skriv ett tillägg").is_visible()

    pages = [
        detail,
        minutes,
        reverse("meetings:team", args=[team.pk]),
        reverse("meetings:figures", args=[team.pk]),
        reverse("meetings:item_new", args=[meeting.pk, "anonym"]),
        reverse("meetings:case_new", args=[meeting.pk]),
        reverse("meetings:series_new", args=[team.pk]),
    ]
    for url in pages:
        check_page(page, url, language="sv")
    switch_language(page, "en")
    for url in pages:
        check_page(page, url, language="en")
