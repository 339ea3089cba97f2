"""A manager adds a team member with the people picker and the keyboard only; a search over the limit says to wait."""

from __future__ import annotations

import re
import time

from django.core.cache import cache
from django.urls import reverse
from playwright.sync_api import expect

from e2e.helpers import log_in
from teams.models import Team, TeamMember


def test_a_team_member_is_picked_with_the_keyboard_and_the_limit_is_explained(page, cast, settings):
    cache.clear()
    team = Team.objects.create(
        name="Barnombudsteam Öster", municipality=cast.municipality, kind="barnombudsteam", created_by=cast.manager
    )
    log_in(page, cast.manager)
    page.goto(reverse("teams:member_add", args=[team.pk]))
    combobox = page.get_by_role("combobox", name="Person")
    combobox.focus()
    page.keyboard.type("Sofia")
    expect(page.get_by_role("option", name=re.compile("Sofia Socionom"))).to_be_visible()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(combobox).to_have_value("Sofia Socionom")
    page.get_by_label("Deltar för myndigheten").select_option(label="Socialnämnden")
    page.get_by_role("button", name="Lägg till").click()
    page.wait_for_url(f"**{reverse('teams:detail', args=[team.pk])}")
    assert TeamMember.objects.get(team=team).user == cast.social_worker

    settings.SAMPLAN_PEOPLE_SEARCH_PER_MINUTE = 2
    _wait_for_a_fresh_minute()  # the count is per minute of the clock: three searches in one minute go over two
    page.goto(reverse("teams:member_add", args=[team.pk]))
    combobox = page.get_by_role("combobox", name="Person")
    for word in ("Lars", "Mona", "Erik"):
        combobox.fill(word)
        page.wait_for_timeout(400)
    expect(page.get_by_role("status").filter(has_text="Vänta en minut")).to_be_visible()
    expect(page.locator("#id_user-listbox [role=option]")).to_have_count(0)  # nobody listed when refused


def _wait_for_a_fresh_minute(needed: float = 20.0) -> None:
    """Sleep into the next minute when fewer than `needed` seconds are left of this one."""
    left = 60 - time.time() % 60
    if left < needed:
        time.sleep(left + 0.5)
