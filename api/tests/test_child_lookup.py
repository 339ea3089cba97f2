from __future__ import annotations

import pytest
from django.urls import reverse

from api.tests.conftest import assert_holds_nothing_of
from audit.models import AuditEvent

URL = reverse("api:child_lookup")
REASON = "Ny elev, inskrivning"


def _formatted(child) -> str:
    return f"{child.identity_number[:8]}-{child.identity_number[8:]}"


def _lookup(client, headers, number: str, reason: str = REASON):
    return client.post(URL, {"number": number, "reason": reason}, content_type="application/json", headers=headers)


def test_it_finds_a_visible_child_and_logs_the_lookup_with_its_reason(client, cast, bearer):
    response = _lookup(client, bearer(cast.named_person), _formatted(cast.child))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert response.json() == {
        "id": str(cast.child.pk),
        "protected": False,
        "identity_masked": False,
        "given_name": "Alva",
        "family_name": "Andersson",
        "birth_date": cast.child.birth_date.isoformat(),
    }
    assert cast.child.identity_number not in response.content.decode()
    row = AuditEvent.objects.get()
    assert (row.user_id, row.child_id, row.action, row.surface, row.target, row.basis, row.reason) == (
        cast.named_person.pk,
        cast.child.pk,
        "lookup",
        "api",
        "api:child_lookup",
        "identity_lookup",
        REASON,
    )


@pytest.mark.parametrize("persona", ["bvc_nurse", "midwife", "social_worker"])
def test_it_answers_404_for_a_child_out_of_reach_and_still_logs_the_attempt(client, cast, bearer, persona):
    response = _lookup(client, bearer(cast.users[persona]), _formatted(cast.child))
    assert response.status_code == 404
    assert response.json()["detail"].startswith("Inget barn som du har tillgång till")
    assert_holds_nothing_of(response, cast.child)
    row = AuditEvent.objects.get()
    assert (row.user_id, row.child_id, row.action, row.surface, row.reason) == (
        cast.users[persona].pk,
        None,
        "lookup",
        "api",
        REASON,
    )


@pytest.mark.parametrize(
    "persona", ["teacher", "other_school_teacher", "bup_clinician", "outsider", "manager", "analyst", "administrator"]
)
def test_it_refuses_roles_that_do_not_need_lookups(client, cast, bearer, persona):
    response = _lookup(client, bearer(cast.users[persona]), _formatted(cast.child))
    assert response.status_code == 403
    assert "Din roll får inte söka barn på personnummer" in response.json()["detail"]
    assert_holds_nothing_of(response, cast.child)
    assert not AuditEvent.objects.exists()


def test_it_refuses_a_lookup_without_a_reason(client, cast, bearer):
    response = _lookup(client, bearer(cast.named_person), _formatted(cast.child), reason="   ")
    assert response.status_code == 422
    assert response.json()["detail"] == "Ange varför du söker barnet. Skälet sparas i loggen."
    assert_holds_nothing_of(response, cast.child)
    assert not AuditEvent.objects.exists()


def test_it_explains_an_invalid_number_without_repeating_it(client, cast, bearer):
    number = cast.child.identity_number[:-1] + str((int(cast.child.identity_number[-1]) + 1) % 10)
    response = _lookup(client, bearer(cast.named_person), number)
    assert response.status_code == 422
    assert response.json()["detail"] == "Kontrollsiffran stämmer inte. Kontrollera numret."
    assert number not in response.content.decode()
    assert number[2:] not in response.content.decode()
    assert not AuditEvent.objects.exists()


def test_it_does_not_echo_a_number_that_is_too_long(client, cast, bearer):
    number = cast.child.identity_number * 2
    response = _lookup(client, bearer(cast.named_person), number)
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "payload", "number"]
    assert cast.child.identity_number not in response.content.decode()


def test_it_masks_a_protected_child_found_by_a_user_without_need(client, cast, bearer):
    from testsupport.cast import enrol

    enrol(cast.protected_child, cast.social_team, "other", cast.protected_child.birth_date)
    response = _lookup(client, bearer(cast.social_worker), _formatted(cast.protected_child))
    assert response.status_code == 200
    assert response.json()["identity_masked"] is True
    assert "Vidar" not in response.content.decode()


def test_it_requires_a_token(client, cast):
    response = client.post(URL, {"number": _formatted(cast.child), "reason": REASON}, content_type="application/json")
    assert response.status_code == 401
    assert not AuditEvent.objects.exists()
