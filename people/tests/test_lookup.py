"""Look-up by personal number: only for roles that need it, with a reason, always logged, never in a URL."""

from __future__ import annotations

import logging
from datetime import date, timedelta

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from core.personnummer import with_check_digit
from testsupport.cast import enrol, make_child, sign_in

URL = reverse("people:lookup")
REASON = "Ny inskrivning på skolan"
NEUTRAL = "Inget barn som du har tillgång till har det numret."


@pytest.fixture
def search(client, cast):
    def post(user, number, reason=REASON):
        sign_in(client, user)
        return client.post(URL, {"number": number, "reason": reason})

    return post


@pytest.fixture
def elsewhere(cast):
    """A child at another school: exists, but the named person of the cast has no relation to it."""
    child = make_child(cast.municipality, born=date(2014, 4, 4), given="Nils", family="Annanstans", serial=988)
    enrol(child, cast.other_school, "school", date.today() - timedelta(days=30))
    return child


def test_it_shows_the_form_to_a_role_that_may_look_up(client, cast):
    sign_in(client, cast.named_person)
    response = client.get(URL)
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count("<h1") == 1
    assert 'for="id_number"' in body
    assert 'for="id_reason"' in body
    assert "no-store" in response["Cache-Control"]


def test_it_opens_a_found_child_by_its_id(search, cast):
    number = cast.child.identity_number
    response = search(cast.named_person, f"{number[2:8]}-{number[8:]}")
    assert response.status_code == 302
    assert response.url == reverse("people:child", kwargs={"child_id": cast.child.pk})
    assert number[8:] not in response.url
    row = AuditEvent.objects.get(action="lookup")
    assert (row.child_id, row.reason, row.basis, row.target) == (
        cast.child.pk,
        REASON,
        "identity_lookup",
        "people:lookup",
    )
    assert number not in row.record_id


def test_it_answers_the_same_for_a_child_that_is_not_the_users_and_one_that_does_not_exist(search, cast, elsewhere):
    hidden = search(cast.named_person, elsewhere.identity_number)
    missing = search(cast.named_person, with_check_digit(date(2013, 2, 2), 555))
    for response in (hidden, missing):
        body = response.content.decode()
        assert response.status_code == 200
        assert NEUTRAL in body
        assert "Annanstans" not in body
        assert "Nils" not in body
    rows = AuditEvent.objects.filter(action="lookup")
    assert rows.count() == 2
    assert set(rows.values_list("child_id", flat=True)) == {None}


def test_it_never_writes_the_number_back_into_the_page(search, cast, elsewhere):
    number = elsewhere.identity_number
    body = search(cast.named_person, number).content.decode()
    assert number not in body
    assert f"{number[:8]}-{number[8:]}" not in body
    assert REASON in body  # the reason is kept so the user can search again


def test_it_keeps_the_number_out_of_the_logs(search, cast, elsewhere, caplog):
    caplog.set_level(logging.DEBUG)
    search(cast.named_person, elsewhere.identity_number)
    search(cast.named_person, "20140404-0000")
    assert elsewhere.identity_number not in caplog.text
    assert "20140404" not in caplog.text


def test_it_explains_an_invalid_number_and_logs_nothing(search, cast):
    number = cast.child.identity_number
    wrong = number[:-1] + str((int(number[-1]) + 1) % 10)
    response = search(cast.named_person, wrong)
    body = response.content.decode()
    assert response.status_code == 400
    assert "Kontrollsiffran stämmer inte" in body
    assert wrong not in body
    assert not AuditEvent.objects.exists()


def test_it_requires_a_reason(search, cast):
    response = search(cast.named_person, cast.child.identity_number, reason="  ")
    assert response.status_code == 400
    assert "Skriv varför du söker barnet" in response.content.decode()
    assert not AuditEvent.objects.exists()


def test_it_requires_a_number(search, cast):
    response = search(cast.named_person, "")
    assert response.status_code == 400
    assert "Skriv barnets personnummer" in response.content.decode()
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize("persona", ["teacher", "manager", "analyst", "administrator", "outsider", "bup_clinician"])
def test_it_refuses_roles_that_do_not_need_to_look_up(client, cast, persona):
    sign_in(client, getattr(cast, persona))
    for response in (client.get(URL), client.post(URL, {"number": cast.child.identity_number, "reason": REASON})):
        body = response.content.decode()
        assert response.status_code == 403
        assert "Din roll får inte söka barn på personnummer" in body
        assert "Alva" not in body
        assert '<form method="post" action="/barn/sok/"' not in body
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize("persona", ["bvc_nurse", "midwife", "social_worker"])
def test_it_lets_other_lookup_roles_search_but_finds_only_their_own_children(search, cast, persona):
    response = search(getattr(cast, persona), cast.child.identity_number)
    assert response.status_code == 200
    assert NEUTRAL in response.content.decode()
    assert AuditEvent.objects.filter(action="lookup", child_id=None).count() == 1


def test_it_sends_anonymous_visitors_to_the_login_page(client, cast):
    response = client.post(URL, {"number": cast.child.identity_number, "reason": REASON})
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    assert cast.child.identity_number not in response.url
    assert not AuditEvent.objects.exists()
