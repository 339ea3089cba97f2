"""The people picker in a browser with JavaScript turned off: search with Sök, choose a radio button, save.

A browser context with `java_script_enabled=False` does everything the user does. axe-core itself is a script,
and with scripts disabled its checks never finish, so each page state is checked as it was shown: the page's
own HTML, served again at its own address to a page whose scripts are all blocked (so people-picker.js never
turns the fallback into the combobox) with the site's real style sheets.

The search is counted against SAMPLAN_PEOPLE_SEARCH_PER_MINUTE (default 60 a minute); these tests search a few
times only, on an emptied cache, so they never depend on the count or on where in the minute they run.
"""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from playwright.sync_api import expect

from e2e.helpers import axe_violations, describe, log_in
from plans.models import ChildPlan
from teams.models import Team, TeamMember


@pytest.fixture
def no_js(browser, live_server):
    """A page in a browser context with JavaScript turned off."""
    context = browser.new_context(
        base_url=live_server.url, locale="sv-SE", timezone_id="Europe/Stockholm", java_script_enabled=False
    )
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def accessible(browser, live_server):
    """Return a check of the no-JavaScript page's current state with axe-core (WCAG 2.1 A and AA)."""

    def check(page) -> None:
        html, url = page.content(), page.url
        assert page.locator("h1").count() == 1
        context = browser.new_context(base_url=live_server.url, locale="sv-SE", timezone_id="Europe/Stockholm")
        try:
            shown = context.new_page()
            shown.route("**/*.js", lambda route: route.abort())  # the page's own scripts never run
            shown.route(
                lambda address: address == url,
                lambda route: route.fulfill(status=200, content_type="text/html; charset=utf-8", body=html),
            )
            shown.goto(url)
            # The state shown is the one the user had (after a search: the same matches), not a fresh page.
            expect(shown.locator("input[type=radio]")).to_have_count(page.locator("input[type=radio]").count())
            if page.locator("[data-picker-fallback]").count():
                expect(shown.locator("[data-picker-fallback]").first).to_be_visible()  # as without JavaScript
            violations = axe_violations(shown)
        finally:
            context.close()
        assert not violations, f"{url}:\n{describe(violations)}"

    return check


def test_a_team_member_is_found_chosen_and_saved_without_javascript(no_js, accessible, cast):
    cache.clear()
    page = no_js
    team = Team.objects.create(
        name="Barnombudsteam Öster", municipality=cast.municipality, kind="barnombudsteam", created_by=cast.manager
    )
    log_in(page, cast.manager)
    page.goto(reverse("teams:member_add", args=[team.pk]))
    expect(page.get_by_role("combobox", name="Person")).to_have_count(0)  # no typeahead without JavaScript
    expect(page.get_by_role("radio", name=re.compile("Socionom"))).to_have_count(0)  # nobody listed before a search
    accessible(page)

    page.get_by_label("Person", exact=True).fill("Sofia")
    page.get_by_role("button", name="Sök").click()
    page.wait_for_load_state()
    expect(page.get_by_role("status").filter(has_text="1 träff.")).to_be_visible()
    choice = page.get_by_role("radio", name=re.compile("Sofia Socionom"))
    expect(choice).to_have_count(1)
    accessible(page)
    assert not TeamMember.objects.exists()  # a search saves nothing

    choice.check()
    page.get_by_label("Deltar för myndigheten").select_option(label="Socialnämnden")
    page.get_by_role("button", name="Lägg till").click()
    page.wait_for_url(f"**{reverse('teams:detail', args=[team.pk])}")
    member = TeamMember.objects.get(team=team)
    assert (member.user, member.authority) == (cast.social_worker, cast.social)
    accessible(page)


def test_a_lead_professional_is_chosen_without_javascript_and_the_plan_is_started(no_js, accessible, cast):
    cache.clear()
    page = no_js
    log_in(page, cast.named_person)
    page.goto(reverse("plans:start", args=[cast.child.pk]))
    page.get_by_label("Flera verksamheter").check()
    page.get_by_label("Skäl till planen").fill("Alva är ofta borta från skolan.")
    page.get_by_label("Ansvarig samordnare", exact=True).fill("Hanna")
    page.get_by_role("button", name="Sök").click()
    page.wait_for_load_state()
    lead = page.get_by_role("radio", name=re.compile("Hanna Rektorsson"))
    expect(lead).to_have_count(1)
    expect(page.get_by_label("Skäl till planen")).to_have_value("Alva är ofta borta från skolan.")  # kept
    expect(page.get_by_label("Flera verksamheter")).to_be_checked()
    accessible(page)
    assert not ChildPlan.objects.exists()

    lead.check()
    page.get_by_role("button", name="Starta planen").click()
    plan = ChildPlan.objects.get()
    page.wait_for_url(f"**{reverse('plans:plan', kwargs={'child_id': cast.child.pk, 'plan_id': plan.pk})}")
    assert plan.lead_professional == cast.named_person
