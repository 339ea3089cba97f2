"""One child, one plan: the whole practice-model journey in a browser, checked against the other authorities.

A teacher records a concern and asks the five questions ("needs other services"); the teacher and the
child rate the wellbeing wheel; the named person asks for consent to share with BUP (the region) and
social services (the municipality), and both guardians, who share custody, give it in the family view;
the named person starts a plan with BUP and social services and the teacher as lead professional; the
plan is agreed and carried out, a review re-rates the wheel, and the plan is closed with the named
person back in charge.

After every step BUP, social services and the police look at the child in their own signed-in browsers:
before both guardians have consented, BUP and social services see only their own authority's records;
after it they also see the school's concern, five questions, wheels and plan (the consented categories),
still never the third authority's records, and they may not change what the school owns. The police
have no relation to the child and get 404 on every page. Every new page is checked with axe-core.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import NamedTuple
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.urls import resolve, reverse
from playwright.sync_api import expect

from e2e.helpers import axe_violations, describe, log_in, pick_person
from organisations.models import Membership, Role
from plans.models import ChildPlan
from plans.tests.setup import bup_relation
from sharing import policy
from sharing.models import AccessAssignment, Consent
from wellbeing.models import ChronologyEntry
from wellbeing.tests.helpers import write

User = get_user_model()

CHRONOLOGY_OWNERS = "table.chronology-table tbody td:last-child"
ENROLMENT_OWNERS = "section[aria-labelledby=enrolments-heading] tbody td:nth-child(3)"
WHEEL_HISTORY = "section[aria-labelledby=history-heading] tbody tr"
WHEEL_OWNERS = WHEEL_HISTORY + " td:nth-child(3)"
CONCERN = "Alva gråter ofta på morgonen och vill inte gå in i klassrummet."
BUP_NOTE = "Första samtalet på BUP om sömnen."
SOCIAL_NOTE = "Familjen har fått stöd av en familjebehandlare."


class Journey:
    """The people of the journey, each in their own signed-in browser context, and the pages already checked."""

    def __init__(self, browser, base_url: str, cast):
        self.browser, self.base_url, self.cast = browser, base_url, cast
        self.child_id = cast.child.pk
        self.pages: dict[int, object] = {}
        self.checked: set[tuple[str, int | str]] = set()
        self.concern: ChronologyEntry | None = None
        self.plan: ChildPlan | None = None

    def page(self, user):
        """Return the user's page, signing in through the real login page the first time."""
        if user.pk not in self.pages:
            context = self.browser.new_context(base_url=self.base_url, locale="sv-SE", timezone_id="Europe/Stockholm")
            context.set_default_timeout(15_000)
            self.pages[user.pk] = context.new_page()
            log_in(self.pages[user.pk], user)
        return self.pages[user.pk]

    def open(self, user, url: str) -> int:
        """Go to the url as the user; check the page with axe if this page (and answer) is new; return the status."""
        page = self.page(user)
        response = page.goto(url, wait_until="domcontentloaded")
        self.accessible(page, response.status)
        return response.status

    def accessible(self, page, state: int | str = 200) -> None:
        """Run axe-core on a page not checked before: one check per view and status (or a state named here)."""
        key = (resolve(urlsplit(page.url).path).view_name, state)
        if key in self.checked:
            return
        self.checked.add(key)
        page.wait_for_load_state("load")  # the stylesheets too, for the contrast rules
        violations = axe_violations(page)
        assert not violations, f"{page.url} ({state}):\n{describe(violations)}"

    def url(self, name: str, **kwargs) -> str:
        if name.startswith("plans:") and name != "plans:start":
            kwargs["plan_id"] = self.plan.pk
        if name in ("wellbeing:entry", "wellbeing:entry_correct"):
            kwargs["entry_id"] = self.concern.pk
        return reverse(name, kwargs={"child_id": self.child_id, **kwargs})

    def close(self) -> None:
        for page in self.pages.values():
            page.context.close()


@pytest.fixture
def journey(browser, live_server, cast):
    bup_relation(cast)  # BUP: the child is seen at BUP (an enrolment of the region)
    social_manager = User.objects.create_user(username="social_manager", first_name="Siv", last_name="Socialchef")
    Membership.objects.create(
        user=social_manager, unit=cast.social_team, role=Role.MANAGER, valid_from=policy.today() - timedelta(days=400)
    )
    AccessAssignment.objects.create(  # social services: assigned to the child by its own manager
        child=cast.child,
        user=cast.social_worker,
        reason="Familjen har sökt stöd",
        valid_from=policy.today() - timedelta(days=7),
        valid_to=policy.today() + timedelta(days=180),
        granted_by=social_manager,
    )
    # Each partner already has a record of its own, of a category the school's consent does not cover.
    write(cast.bup_clinician, cast.child, what_happened=BUP_NOTE, source="BUP", indicators=["healthy"])
    write(
        cast.social_worker,
        cast.child,
        what_happened=SOCIAL_NOTE,
        source="Socialtjänsten",
        kind="strength",
        impact="positive",
    )
    started = Journey(browser, live_server.url, cast)
    yield started
    started.close()


# --- What the other authorities see after each step ---


def _texts(page, selector: str) -> set[str]:
    return {text.strip() for text in page.locator(selector).all_inner_texts()}


class Partner(NamedTuple):
    """A practitioner of another authority with a relation to the child, and what is theirs and what never is."""

    user: object
    authority: str  # the partner's own authority: its records are always shown
    enrolments: set[str]  # whose enrolments the partner sees without any consent
    never: str  # the other partner's record, of a category the consent does not cover


def _partners(cast) -> tuple[Partner, Partner]:
    return (
        Partner(cast.bup_clinician, cast.region.name, {cast.region.name}, SOCIAL_NOTE),
        Partner(cast.social_worker, cast.social.name, set(), BUP_NOTE),
    )


def _others_see(j: Journey, *, shared: bool, wheels: int = 0, plan_status: str = "") -> None:
    """Check what BUP and social services see of the child now, and that the police see nothing at all.

    `shared`: both guardians have given the consent (education and plan, to the region and social services).
    `wheels`: the school's wheel assessments there are; `plan_status`: the plan's status, once it exists.
    """
    cast = j.cast
    school = cast.education.name
    for user, own, own_enrolments, never in _partners(cast):
        page = j.page(user)
        assert j.open(user, j.url("people:child")) == 200
        assert _texts(page, ENROLMENT_OWNERS) == own_enrolments | ({school} if shared else set())
        summary = page.locator("section[aria-labelledby=consent-summary-heading]")
        if shared:
            expect(summary).to_contain_text("Förskola och skola")
            expect(summary).to_contain_text("Barnets plan")
            expect(summary).not_to_contain_text("Hälso- och sjukvård")
        else:
            expect(summary).to_contain_text("Inget samtycke som du kan se gäller just nu.")

        assert j.open(user, j.url("wellbeing:chronology")) == 200
        assert _texts(page, CHRONOLOGY_OWNERS) == {own} | ({school} if shared else set())
        assert never not in page.content()  # the third authority's record: never in the consent
        assert (CONCERN in page.content()) == shared

        if j.concern is not None:
            assert j.open(user, j.url("wellbeing:entry")) == (200 if shared else 404)
            if shared:
                expect(page.locator("section[aria-labelledby=answers-heading]")).to_contain_text(
                    "Behöver stöd från andra verksamheter"
                )
                j.accessible(page, state="with the five questions")
                assert j.open(user, j.url("wellbeing:entry_correct")) == 403  # only the school corrects its entry

        assert j.open(user, j.url("wellbeing:wheel")) == 200
        assert page.locator(WHEEL_HISTORY).count() == (wheels if shared else 0)
        assert _texts(page, WHEEL_OWNERS) <= {school}

        if j.plan is not None:
            assert j.open(user, j.url("plans:plan")) == 200
            expect(page.locator("#plan-status")).to_have_text(plan_status)
            expect(page.get_by_role("link", name="Ändra planen")).to_have_count(0)
            if plan_status == "Avslutad":
                expect(page.locator("#plan-closed")).to_contain_text("Hanna Rektorsson, har åter ansvaret")
            assert j.open(user, j.url("plans:edit")) == 403  # read-only: only the owning authority changes it

    urls = [j.url(name) for name in ("people:child", "wellbeing:chronology", "wellbeing:wheel", "sharing:consents")]
    urls += [j.url("wellbeing:entry")] if j.concern else []
    urls += [j.url("plans:plan")] if j.plan else []
    for url in urls:
        assert j.open(cast.outsider, url) == 404, f"the police may not see {url}"


# --- The steps ---


def _a_teacher_records_a_concern(j: Journey) -> None:
    teacher, page = j.cast.teacher, j.page(j.cast.teacher)
    j.open(teacher, j.url("people:child"))
    page.get_by_role("link", name="Skriv en oro, styrka eller händelse").click()
    page.wait_for_url("**/kronologi/ny/")
    j.accessible(page)
    page.get_by_label("Oro", exact=True).check()
    page.get_by_label("Datum", exact=True).fill((policy.today() - timedelta(days=1)).isoformat())
    page.get_by_label("Vad hände?").fill(CONCERN)
    page.get_by_label("Källa").fill("Klassläraren")
    page.get_by_label("Trygg").check()
    page.get_by_label("Negativ").check()
    page.get_by_role("button", name="Spara posten").click()
    page.wait_for_url(re.compile(r"/kronologi/\d+/$"))
    j.accessible(page)
    j.concern = ChronologyEntry.objects.get(owner_authority=j.cast.education)


def _the_teacher_asks_the_five_questions(j: Journey) -> None:
    page = j.page(j.cast.teacher)
    page.get_by_role("link", name="Ställ de fem frågorna").click()
    page.wait_for_url("**/fem-fragor/")
    j.accessible(page)
    page.get_by_label("1. Vad står i vägen").fill("Hon är rädd och sover dåligt.")
    page.get_by_label("2. Har jag all information").fill("Nej, familjen berättar om oro hemma.")
    page.get_by_label("3. Vad kan jag göra nu").fill("Möta Alva i dörren varje morgon.")
    page.get_by_label("4. Vad kan min verksamhet göra nu").fill("Elevhälsan kan träffa henne.")
    page.get_by_label("5. Vilken ytterligare hjälp").fill("BUP om sömnen och oron, socialtjänsten om stöd hemma.")
    page.get_by_role("group", name="Finns det anledning att misstänka att barnet far illa?").get_by_label("Nej").check()
    page.get_by_label("Behöver stöd från andra verksamheter").check()
    page.get_by_role("button", name="Spara svaren").click()
    page.wait_for_url(f"**{j.url('plans:start')}")  # "needs other services" leads to the child's plan
    expect(page.get_by_text("Starta nu barnets plan tillsammans med familjen.")).to_be_visible()
    j.accessible(page)


def _the_teacher_rates_the_wheel(j: Journey) -> None:
    page = j.page(j.cast.teacher)
    j.open(j.cast.teacher, j.url("wellbeing:wheel"))
    page.get_by_role("link", name="Gör en ny bedömning").click()
    page.wait_for_url("**/hjulet/ny/")
    j.accessible(page)
    for indicator, choice in (("Trygg", "2 – Ganska dåligt"), ("Inkluderad", "2 – Ganska dåligt")):
        page.get_by_role("group", name=indicator, exact=True).get_by_label(choice).check()
    page.get_by_label("Sammanfattning").fill("Otrygg på morgnarna.")
    page.get_by_role("button", name="Spara bedömningen").click()
    page.wait_for_url(f"**{j.url('wellbeing:wheel')}")
    expect(page.locator(WHEEL_HISTORY)).to_have_count(1)
    j.accessible(page, state="rated")  # the chart and the tables, not only the empty page


def _the_child_rates_the_wheel(j: Journey) -> None:
    """The child answers on the child-friendly page, with the teacher beside her (a 9-year-old has no login)."""
    page = j.page(j.cast.teacher)
    page.get_by_role("link", name="Öppna barnets egen sida").click()
    page.wait_for_url("**/hjulet/barnets-svar/")
    j.accessible(page)
    for question, face in (("Känner du dig trygg?", "Inte så bra"), ("Känner du att du hör till", "Inte bra alls")):
        page.get_by_role("group", name=question).locator("label.face", has_text=face).click()
    page.get_by_role("button", name="Klar – spara mina svar").click()
    page.wait_for_url(f"**{j.url('wellbeing:wheel')}")
    expect(page.locator(WHEEL_HISTORY)).to_have_count(2)
    expect(page.locator("section[aria-labelledby=latest-heading] caption")).to_contain_text("Barnet självt")


def _the_named_person_asks_for_consent(j: Journey) -> None:
    named, page = j.cast.named_person, j.page(j.cast.named_person)
    j.open(named, j.url("people:child"))
    page.get_by_role("navigation", name="Barnets sidor").get_by_role("link", name="Samtycken").click()
    page.wait_for_url(f"**{j.url('sharing:consents')}")
    j.accessible(page)
    page.get_by_role("link", name="Be om samtycke").click()
    page.wait_for_url(f"**{j.url('sharing:consent_new')}")
    j.accessible(page)
    page.get_by_label("Nej, familjen kan välja").check()
    page.get_by_label("Syfte").fill("Samordnat stöd till Alva från skolan, BUP och socialtjänsten")
    page.get_by_label("Förskola och skola", exact=True).check()
    page.get_by_label("Barnets plan", exact=True).check()
    page.get_by_label(j.cast.region.name).check()
    page.get_by_label(j.cast.social.name).check()
    page.get_by_role("button", name="Skicka begäran").click()
    page.wait_for_url(f"**{j.url('sharing:consents')}")
    expect(page.get_by_role("heading", name="Förskola och skola, Barnets plan")).to_be_visible()
    assert Consent.objects.get().status == Consent.Status.REQUESTED


def _a_guardian_gives_consent(j: Journey, user) -> None:
    page = j.page(user)
    assert j.open(user, reverse("family:consents", args=[j.child_id])) == 200
    page.get_by_role("link", name="Svara").click()
    page.wait_for_url("**/svara/")
    j.accessible(page)
    expect(page.locator("main")).to_contain_text("Socialnämnden")
    page.get_by_label("Ja, jag samtycker").check()
    page.get_by_role("button", name="Skicka svaret").click()
    page.wait_for_url(f"**{reverse('family:consents', args=[j.child_id])}")
    expect(page.get_by_text("Inget väntar på ditt svar.")).to_be_visible()


def _the_named_person_starts_the_plan(j: Journey) -> None:
    """A multi-agency plan owned by the school, the teacher as lead, BUP and social services taking part."""
    cast, named, page = j.cast, j.cast.named_person, j.page(j.cast.named_person)
    j.open(named, j.url("people:child"))
    page.get_by_role("link", name="Starta en plan").click()
    page.wait_for_url(f"**{j.url('plans:start')}")
    page.get_by_label("Flera verksamheter").check()
    page.get_by_label("Skäl till planen").fill("Alva är rädd, sover dåligt och vill inte gå till skolan.")
    pick_person(page, "Ansvarig samordnare", "Lars Lärare")
    page.get_by_role("button", name="Starta planen").click()
    page.wait_for_url(re.compile(r"/barn/[0-9a-f-]+/\d+/$"))
    j.plan = ChildPlan.objects.get()
    j.accessible(page)

    j.open(named, j.url("plans:participants"))
    for person, authority in (("Erik Psykolog", cast.region.name), ("Sofia Socionom", cast.social.name)):
        page.get_by_label("Roll i planen").select_option("practitioner")
        pick_person(page, "Person med konto i Samplan", person)
        page.get_by_label("Myndighet").select_option(label=authority)
        page.get_by_role("button", name="Lägg till").click()
        page.wait_for_url(f"**{j.url('plans:participants')}")
        expect(page.locator("main table")).to_contain_text(person)

    j.open(named, j.url("plans:needs"))
    page.get_by_label("Indikator").select_option("safe")
    page.get_by_label("Vad barnet behöver").fill("Att känna sig trygg på morgonen och sova bättre.")
    page.get_by_role("button", name="Spara").click()
    page.wait_for_url(f"**{j.url('plans:needs')}")

    j.open(named, j.url("plans:actions"))
    today = policy.today()
    for description, authority, person in (
        ("Samtal på BUP varannan vecka om sömn och oro.", cast.region.name, "Erik Psykolog"),
        ("Familjebehandlare stöttar morgnarna hemma.", cast.social.name, "Sofia Socionom"),
    ):
        page.get_by_label("Åtgärd: vad ska göras och hur?").fill(description)
        page.get_by_label("Ansvarig myndighet").select_option(label=authority)
        pick_person(page, "Ansvarig person", person)
        page.get_by_label("Start").fill(today.isoformat())
        page.get_by_label("Slut").fill((today + timedelta(days=90)).isoformat())
        page.get_by_label("Förväntat resultat för barnet").fill("Alva går till skolan utan att vara rädd.")
        page.get_by_label("Trygg").check()
        page.get_by_role("button", name="Lägg till").click()
        page.wait_for_url(f"**{j.url('plans:actions')}")
        expect(page.locator("main table")).to_contain_text(description)


def _the_lead_records_agreement(j: Journey) -> None:
    lead, page = j.cast.teacher, j.page(j.cast.teacher)
    j.open(lead, j.url("plans:plan"))
    page.get_by_role("link", name="Registrera godkännande").click()
    page.wait_for_url(f"**{j.url('plans:agree')}")
    j.accessible(page)
    answers = page.locator("select[name^=answer_]")
    expect(answers).to_have_count(7)  # the child, two guardians, the named person, the lead, BUP, social services
    for select in answers.all():
        select.select_option("agrees")
    page.get_by_role("button", name="Godkänn planen").click()
    page.wait_for_url(f"**{j.url('plans:plan')}")
    expect(page.locator("#plan-status")).to_have_text("Överenskommen")


def _the_plan_becomes_active(j: Journey) -> None:
    page = j.page(j.cast.teacher)
    page.get_by_role("button", name="Börja genomföra planen").click()
    expect(page.locator("#plan-status")).to_have_text("Pågår")


def _a_review_rerates_the_wheel(j: Journey) -> None:
    page = j.page(j.cast.teacher)
    page.get_by_role("link", name="Följ upp planen").click()
    page.wait_for_url(f"**{j.url('plans:review')}")
    j.accessible(page)
    page.get_by_role("button", name="Starta uppföljningen").click()
    expect(page.get_by_label("Datum för uppföljningen")).to_be_visible()
    j.accessible(page, state="review started")
    page.get_by_label("Datum för uppföljningen").fill(policy.today().isoformat())
    page.get_by_label("Vad har blivit bättre i barnets liv?").fill("Alva sover bättre och går in i klassrummet.")
    page.get_by_label("Har planens syfte uppnåtts?").fill("Ja, oron är mindre.")
    page.get_by_label("Trygg, poäng 1–5").select_option("4")
    page.get_by_label("Inkluderad, poäng 1–5").select_option("4")
    page.get_by_role("button", name="Spara uppföljningen").click()
    page.wait_for_url(f"**{j.url('plans:plan')}")
    expect(page.locator("section[aria-labelledby=review-heading] tbody")).to_contain_text("Bedömt på nytt")


def _the_plan_is_closed(j: Journey) -> None:
    lead, page = j.cast.teacher, j.page(j.cast.teacher)
    page.get_by_role("link", name="Avsluta planen").click()
    page.wait_for_url(f"**{j.url('plans:close')}")
    j.accessible(page)
    page.get_by_label("Varför avslutas planen?").fill("Oron är borta; skolan fortsätter som vanligt.")
    page.get_by_label("Jag förstår att planen avslutas").check()
    page.get_by_role("button", name="Avsluta planen").click()
    page.wait_for_url(f"**{j.url('plans:plan')}")
    expect(page.locator("#plan-status")).to_have_text("Avslutad")
    expect(page.locator("#plan-closed")).to_contain_text(
        "Barnets namngivna person, Hanna Rektorsson, har åter ansvaret."
    )
    j.accessible(page, state="closed")
    j.open(lead, j.url("people:child"))
    panel = page.locator("section[aria-labelledby=plan-panel-heading]")
    expect(panel).to_contain_text("Barnet har ingen pågående plan som du får se.")
    expect(page.locator("section[aria-labelledby=named-person-heading]")).to_contain_text("Hanna Rektorsson")


def _others_see_the_reratings(j: Journey) -> None:
    """The review's wheel is the school's record too: BUP and social services see it as the latest."""
    for user in (j.cast.bup_clinician, j.cast.social_worker):
        page = j.page(user)
        j.open(user, j.url("wellbeing:wheel"))
        latest = page.locator("section[aria-labelledby=latest-heading]")
        expect(latest.locator("caption")).to_contain_text("Yrkesperson, Barn- och utbildningsnämnden")
        expect(latest.locator("tbody tr", has_text="Trygg")).to_contain_text("4 – Ganska bra")


# --- The journey ---


def test_a_teachers_concern_becomes_one_plan_and_each_authority_sees_only_what_the_family_shared(journey):
    j, cast = journey, journey.cast
    _others_see(j, shared=False)  # the starting point: each partner sees its own records only

    _a_teacher_records_a_concern(j)
    _others_see(j, shared=False)
    _the_teacher_asks_the_five_questions(j)
    _others_see(j, shared=False)
    _the_teacher_rates_the_wheel(j)
    _others_see(j, shared=False)
    _the_child_rates_the_wheel(j)
    _others_see(j, shared=False)

    _the_named_person_asks_for_consent(j)
    _others_see(j, shared=False)  # asked is not given
    _a_guardian_gives_consent(j, cast.guardian_user)
    _others_see(j, shared=False)  # joint custody: one guardian's yes is not enough
    _a_guardian_gives_consent(j, cast.co_guardian_user)
    assert Consent.objects.get().status == Consent.Status.GIVEN
    _others_see(j, shared=True, wheels=2)

    _the_named_person_starts_the_plan(j)
    _others_see(j, shared=True, wheels=2, plan_status="Utkast")
    _the_lead_records_agreement(j)
    _others_see(j, shared=True, wheels=2, plan_status="Överenskommen")
    _the_plan_becomes_active(j)
    _others_see(j, shared=True, wheels=2, plan_status="Pågår")
    _a_review_rerates_the_wheel(j)
    _others_see(j, shared=True, wheels=3, plan_status="Pågår")
    _others_see_the_reratings(j)
    _the_plan_is_closed(j)
    _others_see(j, shared=True, wheels=3, plan_status="Avslutad")
