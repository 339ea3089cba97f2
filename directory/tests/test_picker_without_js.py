"""The people picker without JavaScript: a search that posts the form back with at most 20 matches, never a list of
the whole allowed set, keeping what the user entered and saving nothing until the form itself is sent."""

from __future__ import annotations

import re
from datetime import timedelta

from django.urls import reverse

from accounts.models import User
from directory import selectors
from organisations.models import Membership, Role, Unit
from plans.models import Action
from plans.tests.setup import start
from sharing import policy
from testsupport.cast import sign_in


def _actions(plan) -> str:
    return reverse("plans:actions", kwargs={"child_id": plan.child_id, "plan_id": plan.pk})


def _radios(body: str, name: str) -> list[str]:
    return re.findall(rf'type="radio" name="{name}" value="(\d*)"', body)


def _search(client, url: str, name: str, query: str, **entered):
    return client.post(url, {f"{name}-q": query, "picker-search": name, **entered})


def test_the_page_lists_nobody_before_a_search(client, cast):
    plan = start(cast)
    sign_in(client, cast.named_person)
    body = client.get(_actions(plan)).content.decode()
    assert '<input type="text" name="owner_person-q"' in body and 'name="picker-search" value="owner_person"' in body
    assert "<select" not in body.split("data-people-picker")[1].split("</div>\n</div>")[0]
    assert cast.teacher.get_full_name() not in body and cast.social_worker.get_full_name() not in body
    assert not _radios(body, "owner_person")


def test_a_search_shows_the_matches_as_radio_buttons_keeps_what_was_entered_and_saves_nothing(client, cast):
    plan = start(cast)
    sign_in(client, cast.named_person)
    entered = {
        "description": "Samtal med kurator varje vecka",
        "expected_outcome": "Alva trivs",
        "resources": "En timme",
    }
    response = _search(client, _actions(plan), "owner_person", "Lär", owner_authority=cast.education.pk, **entered)
    body = response.content.decode()
    assert response.status_code == 200
    assert _radios(body, "owner_person") == [str(cast.teacher.pk)]
    assert "Lars Lärare – Östra skolan (Barn- och utbildningsnämnden)" in body
    assert "1 träff." in body
    assert "Samtal med kurator varje vecka" in body and "Alva trivs" in body and "En timme" in body
    assert f'<option value="{cast.education.pk}" selected>' in body
    assert 'value="Lär"' in body  # the query stays in its field
    assert "_error" not in body and "error-summary" not in body  # a search is not an error
    assert not Action.objects.exists()
    # Then the user picks the match and sends the form itself: saved with that owner.
    today = policy.today()
    data = {**entered, "owner_authority": cast.education.pk, "owner_person": cast.teacher.pk}
    response = client.post(_actions(plan), {**data, "start": today, "end": today + timedelta(days=30)})
    assert response.status_code == 302
    assert Action.objects.get().owner_person == cast.teacher


def test_a_short_or_unmatched_query_says_so_in_swedish(client, cast):
    plan = start(cast)
    sign_in(client, cast.named_person)
    short = _search(client, _actions(plan), "owner_person", "L").content.decode()
    assert "Skriv minst två bokstäver." in short and not _radios(short, "owner_person")
    none = _search(client, _actions(plan), "owner_person", "Zyxwv").content.decode()
    assert "Ingen som kan väljas här heter så. Prova en annan stavning." in none and not _radios(none, "owner_person")


def test_at_most_twenty_matches_are_shown(client, cast):
    unit = Unit.objects.get(name="Östra skolan")
    since = policy.today() - timedelta(days=10)
    for n in range(25):
        user = User.objects.create_user(username=f"larare{n}", first_name="Lärarinna", last_name=f"Nummer{n:02}")
        Membership.objects.create(user=user, unit=unit, role=Role.PRACTITIONER, valid_from=since)
    plan = start(cast)
    sign_in(client, cast.named_person)
    body = _search(client, _actions(plan), "owner_person", "Lärarinna").content.decode()
    assert len(_radios(body, "owner_person")) == selectors.MAX_RESULTS == 20
    assert "De 20 första träffarna visas. Skriv mer av namnet för att hitta fler." in body


def test_the_lead_professional_search_keeps_to_the_authorities_taking_part(client, cast):
    plan = start(cast)
    sign_in(client, cast.named_person)
    url = reverse("plans:edit", kwargs={"child_id": plan.child_id, "plan_id": plan.pk})
    page = client.get(url).content.decode()
    # The current lead is shown chosen (or none: a lead is optional); nobody else is listed.
    assert _radios(page, "lead_professional") == [str(cast.named_person.pk), ""]
    assert 'id="id_lead_professional-chosen" checked' in page
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    chosen = {"version": version, "lead_professional": cast.named_person.pk}  # the checked radio is sent too
    found = _search(client, url, "lead_professional", "Sofia", **chosen).content.decode()
    assert cast.social_worker.get_full_name() not in found  # social services take no part in this plan
    found = _search(client, url, "lead_professional", "Lars", **chosen).content.decode()
    assert str(cast.teacher.pk) in _radios(found, "lead_professional")
    assert _radios(found, "lead_professional")[0] == str(cast.named_person.pk)  # the chosen one stays chosen
    assert f'name="version" value="{version}"' in found
    plan.refresh_from_db()
    assert plan.lead_professional == cast.named_person


def test_the_search_without_javascript_needs_the_right_to_edit(client, cast):
    plan = start(cast)
    sign_in(client, cast.outsider)
    response = _search(client, _actions(plan), "owner_person", "Lars")
    assert response.status_code in (403, 404)
    assert cast.teacher.get_full_name() not in response.content.decode()
