"""The "Barn på mina enheter" page: visible children only, searched, sorted, paged, protected ones masked."""

from __future__ import annotations

import re
from datetime import date, timedelta
from html import unescape
from urllib.parse import parse_qsl

import pytest
from django.core import signing
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditEvent
from sharing.policy import lists
from testsupport.cast import enrol, make_child, sign_in

URL = reverse("people:child_list")
START = date.today() - timedelta(days=400)


@pytest.fixture
def page(client, cast):
    def get(user, **params):
        sign_in(client, user)
        return client.get(URL, params)

    return get


def test_it_lists_the_children_at_the_users_unit(page, cast):
    response = page(cast.teacher)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Andersson, Alva" in body
    assert cast.child.birth_date.isoformat() in body
    assert reverse("people:child", kwargs={"child_id": cast.child.pk}) in body
    assert "Inskriven på din enhet" in body
    assert cast.child.identity_number not in body


def test_it_masks_a_protected_child_for_a_user_without_need(page, cast):
    body = page(cast.teacher).content.decode()
    assert "Skyddade personuppgifter" in body
    assert "Vidar" not in body
    assert cast.protected_child.birth_date.isoformat() not in body
    # The row still leads to the child's own page, where opening it is a logged act.
    assert reverse("people:child", kwargs={"child_id": cast.protected_child.pk}) in body


def test_it_names_a_protected_child_to_its_named_person(page, cast):
    body = page(cast.named_person).content.decode()
    assert "Skyddad, Vidar" in body
    assert cast.protected_child.birth_date.isoformat() in body
    assert "Namngiven person" in body


def test_it_lists_masked_children_last(page, cast):
    last_by_name = make_child(cast.municipality, born=date(2015, 1, 1), given="Örjan", family="Öberg", serial=990)
    enrol(last_by_name, cast.school, "school", START)
    body = page(cast.teacher).content.decode()
    assert body.index("Öberg, Örjan") < body.index("Skyddade personuppgifter</span> <a")


def test_it_searches_by_name(page, cast):
    body = page(cast.named_person, q="alva").content.decode()
    assert "Andersson, Alva" in body
    assert "Vidar" not in body


def test_it_never_matches_a_masked_child_by_name(page, cast):
    body = page(cast.teacher, q="Vidar").content.decode()
    assert "Skyddade personuppgifter</span> <a" not in body
    assert "Inget barn matchar" in body


def test_it_sorts_by_birth_date(page, cast):
    body = page(cast.named_person, ordning="fodd").content.decode()
    assert body.index("Skyddad, Vidar") < body.index("Andersson, Alva")  # Vidar is a year older
    body = page(cast.named_person, ordning="namn").content.decode()
    assert body.index("Andersson, Alva") < body.index("Skyddad, Vidar")


def test_it_ignores_an_unknown_sort_order(page, cast):
    response = page(cast.teacher, ordning="identity_number")
    assert response.status_code == 200
    assert 'value="namn" selected' in response.content.decode()


def _thirty_children(cast) -> list:
    kids = []
    for serial in range(30):
        kid = make_child(
            cast.municipality,
            born=date(2016, 1, 1) + timedelta(days=serial),
            given="Barn",
            family=f"Nr{serial:02d}",
            serial=100 + serial,
        )
        enrol(kid, cast.school, "school", START)
        kids.append(kid)
    return kids


def _link(body: str, rel: str) -> dict:
    found = re.search(rf'<a href="\?([^"]*)" rel="{rel}">', body)
    return dict(parse_qsl(unescape(found.group(1)))) if found else {}


def test_it_shows_25_children_a_page(page, cast):
    _thirty_children(cast)
    first = page(cast.teacher).content.decode()
    assert first.count("<tr>") == 26  # header row + 25
    assert "32 barn" in first
    assert not _link(first, "prev")
    second = page(cast.teacher, **_link(first, "next")).content.decode()
    assert second.count("<tr>") == 1 + 32 - 25
    assert "Skyddade personuppgifter</span> <a" in second  # the masked child ends the last page
    assert not _link(second, "next")
    back = page(cast.teacher, **_link(second, "prev")).content.decode()
    assert back.count("<tr>") == 26
    assert "Andersson, Alva" in back
    assert not _link(back, "prev")


def test_its_page_links_carry_no_name_or_birth_date(page, cast):
    kids = _thirty_children(cast)
    body = page(cast.teacher, q="nr").content.decode()
    cursor = _link(body, "next")["sida"]
    assert "Nr24" not in cursor.lower() and "nr24" not in cursor.lower()
    assert "2016" not in cursor
    assert kids[24].pk.hex in signing.loads(cursor, salt="people.child_list.cursor:namn:nr")[0]
    assert page(cast.teacher, q="nr", sida=cursor).content.decode().count("<tr>") == 1 + 30 - 25


def test_a_changed_cursor_starts_from_the_top(page, cast):
    _thirty_children(cast)
    body = page(cast.teacher, sida="falsk").content.decode()
    assert body.count("<tr>") == 26
    assert "Andersson, Alva" in body


def test_it_sorts_both_ways_with_masked_children_last(page, cast):
    _thirty_children(cast)
    body = page(cast.teacher, ordning="namn_omvand").content.decode()
    assert body.index("Nr29, Barn") < body.index("Nr05, Barn")
    assert "Andersson, Alva" not in body  # last by name, so first on the next page
    second = page(cast.teacher, **_link(body, "next")).content.decode()
    assert second.index("Andersson, Alva") < second.index("Skyddade personuppgifter</span> <a")
    youngest = page(cast.teacher, ordning="fodd_omvand").content.decode()
    assert youngest.index("Nr29, Barn") < youngest.index("Nr28, Barn")


def test_it_searches_the_start_of_any_name_without_regard_to_accents(page, cast):
    kid = make_child(cast.municipality, born=date(2015, 5, 5), given="Émile", family="Åkesson-Lind", serial=991)
    enrol(kid, cast.school, "school", START)
    for term in ("emile", "ÅKE", "lind", "åkesson emi"):
        assert "Åkesson-Lind, Émile" in page(cast.teacher, q=term).content.decode(), term
    for term in ("akesson", "mile", "kesson"):  # å is a letter of its own; a term starts a word
        assert "Åkesson-Lind" not in page(cast.teacher, q=term).content.decode(), term


def test_it_counts_exactly_up_to_the_cap(page, cast, monkeypatch):
    _thirty_children(cast)
    monkeypatch.setattr(lists, "COUNT_CAP", 31)
    assert "Fler än 31 barn" in page(cast.teacher).content.decode()
    monkeypatch.setattr(lists, "COUNT_CAP", 32)
    assert "32 barn" in page(cast.teacher).content.decode()


def test_its_queries_do_not_grow_with_the_caseload(client, cast, django_assert_num_queries):
    _thirty_children(cast)
    sign_in(client, cast.teacher)
    client.get(URL)  # the first page after signing in also renews the session; compare steady-state pages
    with CaptureQueriesContext(connection) as small:
        client.get(URL)
    for serial in range(40):
        kid = make_child(
            cast.municipality, born=date(2012, 1, 1), given="Fler", family="Zetterlund", serial=300 + serial
        )
        enrol(kid, cast.school, "school", START)
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(URL)


def test_it_says_so_when_the_user_has_no_children(page, cast):
    response = page(cast.outsider)
    assert response.status_code == 200
    assert "Du har inga barn på dina enheter just nu" in response.content.decode()
    assert "Alva" not in response.content.decode()


@pytest.mark.parametrize(
    "persona", ["other_school_teacher", "bvc_nurse", "outsider", "expired", "analyst", "administrator"]
)
def test_it_shows_no_child_without_a_current_relation(page, cast, persona):
    body = page(getattr(cast, persona)).content.decode()
    assert "Andersson" not in body
    assert "Skyddade personuppgifter" not in body


def test_it_audits_each_child_shown_with_its_basis(page, cast):
    page(cast.teacher)
    logged = set(AuditEvent.objects.filter(target="people:child_list").values_list("child_id", "basis", "user_id"))
    assert logged == {
        (cast.child.pk, "enrolment", cast.teacher.pk),
        (cast.protected_child.pk, "enrolment", cast.teacher.pk),
    }


def test_it_is_never_cached(page, cast):
    assert "no-store" in page(cast.teacher)["Cache-Control"]


def test_it_sends_anonymous_visitors_to_the_login_page(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
