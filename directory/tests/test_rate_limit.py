"""The people search answers each user at most SAMPLAN_PEOPLE_SEARCH_PER_MINUTE times a minute, then 429.

The picker's search without JavaScript (a form post with the Sök button) counts in the same minute and, over
the limit, shows the form page again with a Swedish message, no matches and nothing saved.
"""

from __future__ import annotations

from django.conf import settings as live
from django.test import Client
from django.urls import reverse

from directory import selectors
from plans.models import Action
from plans.tests.setup import start
from sharing import policy
from teams.models import Team, TeamMember
from testsupport.cast import sign_in

URL = reverse("directory:people_search")
MINUTE = 1_800_000_000 // 60 * 60  # the start of a minute, as the view's clock reads it


def _search(client, q="Hanna"):
    return client.get(URL, {"q": q, "scope": selectors.scope_sign(None), "picker": "id_lead"})


def _signed_in(user) -> Client:
    other = Client()
    sign_in(other, user)
    return other


def test_a_user_over_the_limit_gets_429_with_a_swedish_message_until_the_next_minute(
    client, cast, settings, monkeypatch
):
    settings.SAMPLAN_PEOPLE_SEARCH_PER_MINUTE = 3
    now = [MINUTE + 15.0]
    monkeypatch.setattr("directory.limits.time.time", lambda: now[0])
    sign_in(client, cast.teacher)
    assert [_search(client).status_code for _ in range(3)] == [200, 200, 200]
    refused = _search(client)
    body = refused.content.decode()
    assert refused.status_code == 429 and refused["Retry-After"] == "45"
    assert "Du har sökt många gånger på kort tid. Vänta en minut och sök igen." in body
    assert 'role="option"' not in body  # nobody is listed when the search is refused

    other = _signed_in(cast.named_person)  # the limit is per user: another user still searches
    assert _search(other).status_code == 200

    now[0] = MINUTE + 61.0  # a new minute: the count starts again
    assert _search(client).status_code == 200


def test_the_default_limit_is_sixty_a_minute_and_zero_turns_it_off(client, cast, settings, monkeypatch):
    assert live.SAMPLAN_PEOPLE_SEARCH_PER_MINUTE == 60
    monkeypatch.setattr("directory.limits.time.time", lambda: MINUTE + 1.0)
    sign_in(client, cast.teacher)
    answers = [_search(client, "H").status_code for _ in range(61)]  # one letter: counted, but no query
    assert answers == [200] * 60 + [429]
    settings.SAMPLAN_PEOPLE_SEARCH_PER_MINUTE = 0
    assert _search(client).status_code == 200


def _actions(plan) -> str:
    return reverse("plans:actions", kwargs={"child_id": plan.child_id, "plan_id": plan.pk})


def _search_without_js(client, url: str, query: str, **entered):
    return client.post(url, {"owner_person-q": query, "picker-search": "owner_person", **entered})


def test_the_search_without_javascript_counts_with_the_typeahead_and_over_the_limit_says_so_and_changes_nothing(
    client, cast, settings, monkeypatch
):
    settings.SAMPLAN_PEOPLE_SEARCH_PER_MINUTE = 2
    now = [MINUTE + 10.0]
    monkeypatch.setattr("directory.limits.time.time", lambda: now[0])
    plan = start(cast)
    sign_in(client, cast.named_person)
    url = _actions(plan)
    entered = {"description": "Samtal med kurator varje vecka", "owner_authority": cast.education.pk}
    assert _search(client).status_code == 200  # the typeahead's search counts ...
    found = _search_without_js(client, url, "Lär", **entered).content.decode()
    assert f'name="owner_person" value="{cast.teacher.pk}"' in found  # ... and so does the search without it
    refused = _search_without_js(client, url, "Lär", **entered)
    body = refused.content.decode()
    assert refused.status_code == 200  # the form page itself, not an error page
    assert "Du har sökt många gånger på kort tid. Vänta en minut och sök igen." in body
    assert 'type="radio" name="owner_person"' not in body  # nobody listed when refused
    assert "Samtal med kurator varje vecka" in body and 'value="Lär"' in body  # what was entered stays
    assert "_error" not in body and "error-summary" not in body
    assert not Action.objects.exists()  # nothing saved
    assert _search(client).status_code == 429  # the typeahead is refused in the same minute

    now[0] = MINUTE + 61.0  # a new minute: the search works again
    again = _search_without_js(client, url, "Lär", **entered).content.decode()
    assert f'name="owner_person" value="{cast.teacher.pk}"' in again


def test_saving_the_form_is_never_counted_nor_refused(client, cast, settings, monkeypatch):
    settings.SAMPLAN_PEOPLE_SEARCH_PER_MINUTE = 1
    monkeypatch.setattr("directory.limits.time.time", lambda: MINUTE + 10.0)
    team = Team.objects.create(
        name="Barnombudsteam Öster", municipality=cast.municipality, kind="barnombudsteam", created_by=cast.manager
    )
    sign_in(client, cast.manager)
    url = reverse("teams:member_add", args=[team.pk])
    assert _search(client).status_code == 200
    assert _search(client).status_code == 429  # over the limit ...
    response = client.post(
        url,
        {
            "user": cast.social_worker.pk,
            "authority": cast.social.pk,
            "role": "member",
            "joined_on": policy.today().isoformat(),
        },
    )
    assert response.status_code == 302  # ... yet choosing and saving is no search
    assert TeamMember.objects.get(team=team).user == cast.social_worker
