"""The "Barn på mina enheter" page: visible children only, searched, sorted, paged, protected ones masked."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from core.testing import enrol, make_child, sign_in

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


def test_it_shows_25_children_a_page(page, cast):
    for serial in range(30):
        kid = make_child(
            cast.municipality,
            born=date(2016, 1, 1) + timedelta(days=serial),
            given="Barn",
            family=f"Nr{serial:02d}",
            serial=100 + serial,
        )
        enrol(kid, cast.school, "school", START)
    first = page(cast.teacher).content.decode()
    assert first.count("<tr>") == 26  # header row + 25
    assert "Sida 1 av 2" in first
    assert "sida=2" in first
    second = page(cast.teacher, sida=2).content.decode()
    assert second.count("<tr>") == 1 + 32 - 25


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
