from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse

from api.tests.conftest import UNRELATED, VISIBLE
from audit.models import AuditEvent
from sharing.models import AccessAssignment
from testsupport.cast import enrol, make_child

URL = reverse("api:children_list")


def _items(client, headers, **params):
    response = client.get(URL, params, headers=headers)
    assert response.status_code == 200, response.content
    return response.json()


@pytest.mark.parametrize("persona", VISIBLE)
def test_it_lists_the_children_the_user_has_a_relation_to(client, cast, bearer, persona):
    page = _items(client, bearer(cast.users[persona]))
    assert page["count"] == 2
    assert {item["id"] for item in page["items"]} == {str(cast.child.pk), str(cast.protected_child.pk)}


@pytest.mark.parametrize("persona", UNRELATED)
def test_it_lists_nothing_for_users_without_a_relation(client, cast, bearer, persona):
    response = client.get(URL, headers=bearer(cast.users[persona]))
    assert response.json() == {"count": 0, "limit": 25, "offset": 0, "items": []}
    assert "Alva" not in response.content.decode()
    assert not AuditEvent.objects.exists()


def test_it_writes_one_api_audit_row_per_child_shown(client, cast, bearer):
    response = client.get(URL, headers=bearer(cast.teacher))
    assert "no-store" in response["Cache-Control"]
    rows = AuditEvent.objects.filter(user_id=cast.teacher.pk)
    assert sorted((row.child_id, row.surface, row.target, row.basis, row.action) for row in rows) == sorted(
        (child.pk, "api", "api:children_list", "enrolment", "read") for child in (cast.child, cast.protected_child)
    )


def test_it_records_the_named_person_basis(client, cast, bearer):
    client.get(URL, headers=bearer(cast.named_person))
    assert set(AuditEvent.objects.values_list("basis", flat=True)) == {"named_person"}


def test_it_masks_a_protected_child_for_a_user_without_need(client, cast, bearer):
    response = client.get(URL, headers=bearer(cast.teacher))
    first, last = response.json()["items"]
    assert first["given_name"] == "Alva"
    assert last == {
        "id": str(cast.protected_child.pk),
        "protected": True,
        "identity_masked": True,
        "given_name": None,
        "family_name": None,
        "birth_date": None,
    }
    assert "Vidar" not in response.content.decode()
    assert "Skyddad" not in response.content.decode()


def test_it_shows_a_protected_child_to_its_named_person(client, cast, bearer):
    items = _items(client, bearer(cast.named_person))["items"]
    assert [(item["given_name"], item["identity_masked"]) for item in items] == [("Alva", False), ("Vidar", False)]


def test_it_shows_a_protected_child_after_a_secrecy_assessment(client, cast, bearer):
    AccessAssignment.objects.create(
        child=cast.protected_child,
        user=cast.teacher,
        reason="Sekretessprövning gjord",
        valid_from=date.today() - timedelta(days=1),
        valid_to=date.today() + timedelta(days=30),
        sees_protected_details=True,
        granted_by=cast.manager,
    )
    items = _items(client, bearer(cast.teacher))["items"]
    assert [item["given_name"] for item in items] == ["Alva", "Vidar"]


def test_it_searches_names_but_never_finds_a_masked_child(client, cast, bearer):
    assert [i["given_name"] for i in _items(client, bearer(cast.teacher), q="alva")["items"]] == ["Alva"]
    assert _items(client, bearer(cast.teacher), q="Vidar")["count"] == 0
    assert [i["given_name"] for i in _items(client, bearer(cast.named_person), q="skydd")["items"]] == ["Vidar"]


def test_it_requires_every_search_word_to_match(client, cast, bearer):
    assert _items(client, bearer(cast.named_person), q="alva andersson")["count"] == 1
    assert _items(client, bearer(cast.named_person), q="alva skyddad")["count"] == 0


def test_it_pages_in_a_stable_order(client, cast, bearer):
    for index in range(30):
        kid = make_child(
            cast.municipality, born=date(2016, 1, 1) + timedelta(days=index), given=f"Barn{index:02d}", family="Berg"
        )
        enrol(kid, cast.school, "school", date.today() - timedelta(days=10))
    headers = bearer(cast.teacher)
    pages = [_items(client, headers, limit=10, offset=offset) for offset in (0, 10, 20, 30)]
    assert {page["count"] for page in pages} == {32}
    names = [item["given_name"] for page in pages for item in page["items"]]
    assert names == ["Alva", *[f"Barn{index:02d}" for index in range(30)], None]
    assert AuditEvent.objects.filter(target="api:children_list").count() == 32


@pytest.mark.parametrize("params", [{"limit": 101}, {"limit": 0}, {"offset": -1}, {"q": "x" * 101}])
def test_it_refuses_pages_out_of_bounds(client, cast, bearer, params):
    response = client.get(URL, params, headers=bearer(cast.teacher))
    assert response.status_code == 422
    body = response.json()
    assert body["detail"].startswith("Begäran innehåller ogiltiga värden")
    assert body["errors"][0]["loc"][0] == "query"
    assert not AuditEvent.objects.exists()
