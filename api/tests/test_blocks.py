"""Blocks (spärr) over the API: the owning authority's list, a manager placing one, lifting with password and code."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.tests.helpers import code_for
from api.tests.conftest import assert_holds_nothing_of
from audit.models import AuditEvent
from organisations.models import Membership, Role
from sharing import policy
from sharing.models import Block
from testsupport.cast import PASSWORD, enrol

REASON = "Eleven har själv bett att uppgifterna inte ska delas."
LIFT_REASON = "Eleven har ändrat sig."


@pytest.fixture
def region_manager(cast, django_user_model):
    """A manager of another authority (the region) with a relation to the child through a BUP listing."""
    user = django_user_model.objects.create_user(username="region_manager", first_name="Rita", last_name="Region")
    Membership.objects.create(user=user, unit=cast.bup, role=Role.MANAGER, valid_from=policy.today())
    enrol(cast.child, cast.bup, "other", policy.today() - timedelta(days=10))
    return user


@pytest.fixture
def device(cast):
    return TOTPDevice.objects.create(user=cast.manager, name="app", confirmed=True)


def _blocks_url(cast) -> str:
    return reverse("api:child_blocks", kwargs={"child_id": cast.child.pk})


def _lift_url(cast, block) -> str:
    return reverse("api:block_lift", kwargs={"child_id": cast.child.pk, "block_id": block.pk})


def _place(client, cast, headers, **changes):
    body = {"owner_authority_id": cast.education.pk, "category": "education", "ground": "child_request"}
    body["reason"] = REASON
    body.update(changes)
    return client.post(_blocks_url(cast), body, content_type="application/json", headers=headers)


def _block(cast, **changes) -> Block:
    values = {
        "child": cast.child,
        "owner_authority": cast.education,
        "category": "education",
        "ground": "child_request",
        "reason": REASON,
        "created_by": cast.manager,
    }
    values.update(changes)
    return Block.objects.create(**values)


def _lift(client, cast, block, headers, *, device=None, **changes):
    body = {"lift_reason": LIFT_REASON, "password": PASSWORD, "code": code_for(device) if device else "123456"}
    body.update(changes)
    return client.post(_lift_url(cast, block), body, content_type="application/json", headers=headers)


# --- The list ---


def test_it_lists_the_owning_authoritys_blocks_active_first(client, cast, bearer):
    lifted = _block(cast, category="health")
    Block.objects.filter(pk=lifted.pk).update(lifted_at=lifted.created_at, lifted_by=cast.manager, lift_reason="Ok")
    active = _block(cast)
    response = client.get(_blocks_url(cast), headers=bearer(cast.manager))
    assert response.status_code == 200
    rows = response.json()
    assert [row["id"] for row in rows] == [active.pk, lifted.pk]
    assert rows[0]["active"] and rows[0]["may_lift"] and rows[0]["reason"] == REASON
    assert rows[0]["owner_authority"] == {"id": cast.education.pk, "name": "Barn- och utbildningsnämnden"}
    assert rows[0]["created_by"] == "Mona Chef"
    assert not rows[1]["active"] and not rows[1]["may_lift"] and rows[1]["lifted_by"] == "Mona Chef"
    row = AuditEvent.objects.get(target="api:block_list")
    assert (row.action, row.surface, row.child_id, row.basis) == ("read", "api", cast.child.pk, "enrolment")


def test_a_practitioner_of_the_owning_authority_sees_the_blocks_but_may_not_lift(client, cast, bearer):
    _block(cast)
    rows = client.get(_blocks_url(cast), headers=bearer(cast.teacher)).json()
    assert [(row["reason"], row["may_lift"]) for row in rows] == [(REASON, False)]


def test_another_authority_with_a_relation_never_learns_that_a_block_exists(client, cast, bearer, region_manager):
    _block(cast)
    response = client.get(_blocks_url(cast), headers=bearer(region_manager))
    assert response.status_code == 200
    assert response.json() == []


@pytest.mark.parametrize("who", ["outsider", "other_school_teacher", "expired", "analyst"])
def test_without_a_relation_the_list_is_not_found(client, cast, bearer, who):
    _block(cast)
    response = client.get(_blocks_url(cast), headers=bearer(cast.users[who]))
    assert response.status_code == 404
    assert_holds_nothing_of(response, cast.child)
    assert REASON not in response.content.decode()


# --- Placing ---


def test_the_owning_authoritys_manager_places_a_block(client, cast, bearer):
    response = _place(client, cast, bearer(cast.manager))
    assert response.status_code == 201, response.content
    block = Block.objects.get()
    assert response.json()["id"] == block.pk and response.json()["active"]
    assert (block.owner_authority, block.category, block.ground, block.created_by) == (
        cast.education,
        "education",
        "child_request",
        cast.manager,
    )
    row = AuditEvent.objects.get(record_type="Block")
    assert (row.action, row.surface, row.target, row.record_id) == ("create", "api", "api:block_place", str(block.pk))


@pytest.mark.parametrize("who", ["teacher", "named_person"])
def test_a_practitioner_without_the_deciding_role_is_refused(client, cast, bearer, who):
    response = _place(client, cast, bearer(cast.users[who]))
    assert response.status_code == 403
    assert "Bara en chef vid myndigheten som äger uppgifterna" in response.json()["detail"]
    assert not Block.objects.exists()
    assert not AuditEvent.objects.filter(record_type="Block").exists()


def test_a_manager_of_another_authority_cannot_block_the_schools_information(client, cast, bearer, region_manager):
    response = _place(client, cast, bearer(region_manager))
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "payload", "owner_authority_id"]
    assert "Välj en myndighet där du är chef" in response.json()["detail"]
    assert not Block.objects.exists()


@pytest.mark.parametrize("who", ["outsider", "other_school_teacher", "expired"])
def test_without_a_relation_placing_is_not_found(client, cast, bearer, who):
    response = _place(client, cast, bearer(cast.users[who]))
    assert response.status_code == 404
    assert_holds_nothing_of(response, cast.child)
    assert not Block.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"category": "identity"}, "category", "Välj vilken kategori"),
        ({"ground": "whim"}, "ground", "Välj grunden"),
        ({"reason": "  "}, "reason", "Skriv varför uppgifterna ska spärras"),
    ],
)
def test_bad_input_is_refused_in_swedish_and_places_nothing(client, cast, bearer, changes, field, message):
    response = _place(client, cast, bearer(cast.manager), **changes)
    assert response.status_code == 422
    body = response.json()
    assert body["errors"][0]["loc"] == ["body", "payload", field]
    assert message in body["detail"]
    assert not Block.objects.exists()
    assert not AuditEvent.objects.filter(record_type="Block").exists()


@pytest.mark.parametrize("body", ["", "not json", '{"reason": "x"}'])
def test_a_malformed_body_is_refused_in_swedish(client, cast, bearer, body):
    headers = bearer(cast.manager)
    response = client.post(_blocks_url(cast), body, content_type="application/json", headers=headers)
    assert response.status_code == 422
    assert "Rätta fälten" in response.json()["detail"] or "JSON" in response.json()["detail"]
    assert not Block.objects.exists()


def test_a_category_is_blocked_once(client, cast, bearer):
    headers = bearer(cast.manager)
    assert _place(client, cast, headers).status_code == 201
    response = _place(client, cast, headers, reason="En gång till")
    assert response.status_code == 422
    assert "redan spärrad" in response.json()["detail"]
    assert Block.objects.count() == 1


# --- Lifting ---


def test_the_manager_lifts_with_password_and_a_new_code(client, cast, bearer, device):
    block = _block(cast)
    response = _lift(client, cast, block, bearer(cast.manager), device=device)
    assert response.status_code == 200, response.content
    assert response.json()["active"] is False and response.json()["lift_reason"] == LIFT_REASON
    block.refresh_from_db()
    assert (block.lifted_by, block.lift_reason) == (cast.manager, LIFT_REASON)
    row = AuditEvent.objects.get(record_type="Block", action="update")
    assert (row.surface, row.target, row.reason) == ("api", "api:block_lift", LIFT_REASON)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"password": "fel-lösenord"}, "password", "Lösenordet stämmer inte"),
        ({"code": "000000"}, "code", "Koden stämmer inte"),
        ({"code": ""}, "code", "Skriv koden från appen"),
        ({"code": "12ab"}, "code", "Koden ska vara sex siffror"),
        ({"lift_reason": " "}, "lift_reason", "Skriv varför spärren hävs"),
    ],
)
def test_a_failed_re_authentication_lifts_nothing(client, cast, bearer, device, changes, field, message):
    block = _block(cast)
    response = _lift(client, cast, block, bearer(cast.manager), device=device, **changes)
    assert response.status_code == 422
    body = response.json()
    assert body["errors"][0]["loc"] == ["body", "payload", field]
    assert message in body["detail"]
    block.refresh_from_db()
    assert block.lifted_at is None
    assert not AuditEvent.objects.filter(record_type="Block").exists()


def test_a_typo_in_the_reason_does_not_use_up_the_code(client, cast, bearer, device):
    block = _block(cast)
    headers = bearer(cast.manager)
    code = code_for(device)
    assert _lift(client, cast, block, headers, code=code, lift_reason="").status_code == 422
    assert _lift(client, cast, block, headers, code=code).status_code == 200


def test_a_code_works_once(client, cast, bearer, device):
    first, second = _block(cast), _block(cast, category="health")
    headers = bearer(cast.manager)
    code = code_for(device)
    assert _lift(client, cast, first, headers, code=code).status_code == 200
    response = _lift(client, cast, second, headers, code=code)
    assert response.status_code == 422
    assert "redan använts" in response.json()["detail"]
    second.refresh_from_db()
    assert second.lifted_at is None


def test_a_wrong_password_counts_towards_the_sign_in_lockout(client, cast, bearer, device):
    block = _block(cast)
    _lift(client, cast, block, bearer(cast.manager), device=device, password="fel")
    assert AccessAttempt.objects.filter(username="manager").exists()


def test_a_lifted_block_cannot_be_lifted_again(client, cast, bearer, device):
    block = _block(cast)
    headers = bearer(cast.manager)
    assert _lift(client, cast, block, headers, device=device).status_code == 200
    assert _lift(client, cast, block, headers, device=device).status_code == 404
    assert AuditEvent.objects.filter(record_type="Block", action="update").count() == 1


@pytest.mark.parametrize("who", ["teacher", "named_person", "outsider", "expired", "other_school_teacher"])
def test_only_the_owning_authoritys_manager_may_lift(client, cast, bearer, who):
    block = _block(cast)
    user = cast.users[who]
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    response = _lift(client, cast, block, bearer(user), device=device)
    assert response.status_code == 404
    assert_holds_nothing_of(response, cast.child)
    device.refresh_from_db()
    assert device.last_t == -1  # refused before any code is tried
    block.refresh_from_db()
    assert block.lifted_at is None


def test_a_manager_of_another_authority_may_not_lift(client, cast, bearer, region_manager):
    block = _block(cast)
    device = TOTPDevice.objects.create(user=region_manager, name="app", confirmed=True)
    response = _lift(client, cast, block, bearer(region_manager), device=device)
    assert response.status_code == 404
    block.refresh_from_db()
    assert block.lifted_at is None
