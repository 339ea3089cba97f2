"""The people search answers each user at most SAMPLAN_PEOPLE_SEARCH_PER_MINUTE times a minute, then 429."""

from __future__ import annotations

from django.conf import settings as live
from django.test import Client
from django.urls import reverse

from directory import selectors
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
    monkeypatch.setattr("directory.views.time.time", lambda: now[0])
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
    monkeypatch.setattr("directory.views.time.time", lambda: MINUTE + 1.0)
    sign_in(client, cast.teacher)
    answers = [_search(client, "H").status_code for _ in range(61)]  # one letter: counted, but no query
    assert answers == [200] * 60 + [429]
    settings.SAMPLAN_PEOPLE_SEARCH_PER_MINUTE = 0
    assert _search(client).status_code == 200
