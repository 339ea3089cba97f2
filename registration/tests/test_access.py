"""Who may register: only a registrar of the child's municipality; everyone else is refused and nothing changes."""

from __future__ import annotations

import pytest
from django.urls import reverse

from people.models import Child
from registration.tests.helpers import child_post
from testsupport.cast import sign_in

pytestmark = pytest.mark.django_db


def _pages(cast):
    child = cast.child.pk
    return [
        reverse("registration:child", args=[child]),
        reverse("registration:child_edit", args=[child]),
        reverse("registration:guardian_add", args=[child]),
        reverse("registration:enrolment_add", args=[child]),
        reverse("registration:merge", args=[child, cast.protected_child.pk]),
    ]


def test_it_opens_every_page_to_the_municipalitys_registrar(client, cast, registrar):
    sign_in(client, registrar)
    for url in [reverse("registration:home"), reverse("registration:child_new"), *_pages(cast)]:
        assert client.get(url).status_code == 200, url


def test_it_shows_a_registrar_of_another_municipality_none_of_this_ones_children(client, cast, other_registrar):
    sign_in(client, other_registrar)
    page = client.get(reverse("registration:home"))
    assert page.status_code == 200
    assert "Alva" not in page.content.decode()
    assert "Det finns inga barn registrerade" in page.content.decode()
    for url in _pages(cast):
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize("who", ["teacher", "named_person", "administrator", "expired"])
def test_it_refuses_everyone_else(client, cast, who):
    sign_in(client, getattr(cast, who))
    assert client.get(reverse("registration:home")).status_code == 403
    assert client.get(reverse("registration:child_new")).status_code == 403
    for url in _pages(cast):
        assert client.get(url).status_code == 404, url  # the same answer as for a child that does not exist


@pytest.mark.parametrize("who", ["other_registrar", "teacher"])
def test_it_changes_nothing_when_someone_else_posts(client, cast, request, who):
    user = request.getfixturevalue(who) if who == "other_registrar" else getattr(cast, who)
    sign_in(client, user)
    before = Child.objects.count()
    client.post(reverse("registration:child_new"), child_post())  # another municipality's registrar registers there
    assert not Child.objects.filter(municipality=cast.municipality, given_name="Amina").exists()
    response = client.post(reverse("registration:child_edit", args=[cast.child.pk]), child_post(given_name="X"))
    assert response.status_code == 404
    assert Child.objects.count() <= before + (who == "other_registrar")
    cast.child.refresh_from_db()
    assert cast.child.given_name == "Alva"


def test_it_sends_anonymous_users_to_sign_in(client, cast):
    for url in [reverse("registration:home"), reverse("registration:child_new"), *_pages(cast)]:
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("accounts:login")), url


def test_it_offers_the_menu_item_only_to_registrars(client, cast, registrar):
    sign_in(client, registrar)
    assert reverse("registration:home") in client.get(reverse("registration:child_new")).content.decode()
    client.logout()
    sign_in(client, cast.teacher)
    assert reverse("registration:home") not in client.get(reverse("people:child_list")).content.decode()
