"""The family endpoints: a guardian's own children only; staff and other families get 404 with nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from api.tests.conftest import VISIBLE, assert_holds_nothing_of, child_url
from audit import log as audit
from audit.models import AuditEvent
from people.models import Protection
from sharing import policy

LIST = reverse("api:family_children")


def test_a_guardian_lists_their_children_and_each_is_logged(client, cast, bearer):
    response = client.get(LIST, headers=bearer(cast.guardian_user))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert [(row["given_name"], row["basis"]) for row in response.json()] == [("Alva", "guardian")]
    event = AuditEvent.objects.get()
    assert (event.child_id, event.surface, event.basis) == (cast.child.pk, "api", policy.Basis.GUARDIAN)


@pytest.mark.parametrize("persona", [*VISIBLE, "outsider"])
def test_staff_get_an_empty_family_list(client, cast, bearer, persona):
    response = client.get(LIST, headers=bearer(cast.users[persona]))
    assert response.status_code == 200 and response.json() == []


def test_a_parent_without_custody_gets_an_empty_list(client, cast, bearer):
    assert client.get(LIST, headers=bearer(cast.noncustodial_user)).json() == []


def test_the_child_shows_its_named_person(client, cast, bearer):
    cast.named_person.phone = "010-123"
    cast.named_person.save()
    response = client.get(child_url("family_child", cast.child), headers=bearer(cast.co_guardian_user))
    assert response.status_code == 200
    person = response.json()["named_person"]
    assert (person["name"], person["unit"], person["phone"]) == ("Hanna Rektorsson", "Östra skolan", "010-123")
    assert AuditEvent.objects.get().target == "api:family_child"


@pytest.mark.parametrize("name", ["family_child", "family_child_log"])
@pytest.mark.parametrize("persona", [*VISIBLE, "outsider", "other_school_teacher", "noncustodial_user"])
def test_staff_and_parents_without_custody_get_404(client, cast, bearer, name, persona):
    user = getattr(cast, persona)
    response = client.get(child_url(name, cast.child), headers=bearer(user))
    assert response.status_code == 404
    assert_holds_nothing_of(response, cast.child)
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize("name", ["family_child", "family_child_log"])
def test_another_family_s_child_is_404(client, cast, bearer, name):
    response = client.get(child_url(name, cast.protected_child), headers=bearer(cast.guardian_user))
    assert response.status_code == 404
    assert_holds_nothing_of(response, cast.protected_child)


def test_the_log_is_paginated_and_names_no_family_user(client, cast, bearer):
    cast.co_guardian.protection = Protection.PROTECTED_REGISTRATION
    cast.co_guardian.save()
    for user in (cast.named_person, cast.co_guardian_user):
        with audit.deferred():
            audit.record(
                actor=policy.actor_for(user, session_key="s"),
                action="read",
                surface="page",
                target="t",
                basis=policy.Basis.NAMED_PERSON if user == cast.named_person else policy.Basis.GUARDIAN,
                child_id=cast.child.pk,
            )
    url = child_url("family_child_log", cast.child)
    response = client.get(url, {"limit": 1}, headers=bearer(cast.guardian_user))
    body = response.json()
    assert response.status_code == 200 and body["count"] == 2 and len(body["items"]) == 1
    assert body["items"][0]["who"] == "En vårdnadshavare"  # newest first: the protected guardian, unnamed
    assert "co_guardian" not in response.content.decode() and "Johan" not in response.content.decode()
    assert client.get(url, {"limit": 0}, headers=bearer(cast.guardian_user)).status_code == 422


def test_family_users_may_create_tokens(client, cast):
    from testsupport.cast import sign_in

    sign_in(client, cast.guardian_user)
    assert client.get(reverse("accounts:api_tokens")).status_code == 200
