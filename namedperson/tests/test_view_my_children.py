"""The named person's "Mina barn" page."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from namedperson.models import Assignment, Stage
from organisations.models import Role
from testsupport.cast import make_child, sign_in

URL = reverse("namedperson:my_children")
START = date.today() - timedelta(days=400)


@pytest.fixture
def page(client, cast):
    def get(user, **params):
        sign_in(client, user)
        return client.get(URL, params)

    return get


def test_it_lists_the_children_the_user_is_named_person_for(page, cast):
    response = page(cast.named_person)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Andersson, Alva" in body
    assert "Skyddad, Vidar" in body
    assert START.isoformat() in body
    assert "<td>Skola</td>" in body
    assert cast.child.identity_number not in body


def test_it_audits_each_child_shown(page, cast):
    page(cast.named_person)
    logged = set(
        AuditEvent.objects.filter(target="namedperson:my_children", user_id=cast.named_person.pk).values_list(
            "child_id", "basis"
        )
    )
    assert logged == {(cast.child.pk, "named_person"), (cast.protected_child.pk, "named_person")}


def test_it_filters_by_name(page, cast):
    body = page(cast.named_person, q="alva").content.decode()
    assert "Andersson, Alva" in body
    assert "Vidar" not in body


def test_it_says_so_when_the_search_finds_nobody(page, cast):
    body = page(cast.named_person, q="Zlatan").content.decode()
    assert "Inget av dina barn matchar" in body


@pytest.mark.parametrize("persona", ["outsider", "teacher", "bvc_nurse", "manager"])
def test_it_shows_other_users_an_empty_list(page, cast, persona):
    body = page(getattr(cast, persona)).content.decode()
    assert "Du är inte namngiven person för något barn just nu." in body
    assert "Alva" not in body
    assert not AuditEvent.objects.filter(target="namedperson:my_children").exists()


def test_it_leaves_out_a_child_whose_assignment_has_ended(page, cast):
    Assignment.objects.filter(child=cast.protected_child).update(end=date.today())
    body = page(cast.named_person).content.decode()
    assert "Vidar" not in body


def test_it_pages_long_lists(page, cast):
    for number in range(26):
        child = make_child(
            cast.municipality, born=date(2015, 1, 1) + timedelta(days=number), given=f"Barn{number:02}", family="Ö"
        )
        Assignment.objects.create(
            child=child,
            person=cast.named_person,
            unit=cast.school,
            role=Role.HEAD_TEACHER,
            stage=Stage.SCHOOL,
            start=START,
            owner_authority=cast.education,
        )
    first = page(cast.named_person).content.decode()
    second = page(cast.named_person, sida=2).content.decode()
    assert "28 barn" in first
    assert "sida=2" in first
    assert "Barn25" in second
    assert "Barn25" not in first


def test_it_sends_anonymous_users_to_the_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "Alva" not in response.content.decode()


def test_it_is_never_cached(page, cast):
    assert "no-store" in page(cast.named_person)["Cache-Control"]
