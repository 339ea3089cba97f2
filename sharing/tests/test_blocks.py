"""Blocks (spärr): placed by the owning authority's manager, closing what consent would open; lifted after re-auth."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.services import api_token_create
from audit import log as audit
from audit.models import AuditEvent
from people.models import Enrolment
from sharing import policy
from sharing.models import Block, Consent, ConsentCategory, DisclosureCategory, DisclosureDecision, EmergencyAccess
from testsupport.cast import PASSWORD, enrol, sign_in

REASON = "Eleven har själv bett att uppgifterna inte ska delas."


@pytest.fixture
def consented(cast):
    """The BUP clinician has a relation, and an active consent opens the school's records to the region."""
    enrol(cast.child, cast.bup, "other", policy.today() - timedelta(days=10))
    now = timezone.now()
    consent = Consent.objects.create(
        child=cast.child,
        owner_authority=cast.region,
        requested_by=cast.bup_clinician,
        purpose="Samordnat stöd",
        valid_from=now - timedelta(hours=1),
        valid_until=now + timedelta(days=30),
        status=Consent.Status.GIVEN,
    )
    consent.recipients.set([cast.region])
    ConsentCategory.objects.create(consent=consent, category="education")
    return cast


def _school_records(cast, who) -> list:
    user = getattr(cast, who)
    with audit.deferred():
        access = policy.child_for_user(
            user, cast.child.pk, actor=policy.actor_for(user, session_key="s"), surface="page", target="t"
        )
        return list(policy.records_for_user(access, Enrolment.objects.filter(owner_authority=cast.education)))


def _url(name, cast, **kwargs) -> str:
    return reverse(f"sharing:{name}", kwargs={"child_id": cast.child.pk, **kwargs})


def _place(client, cast, **changes):
    data = {"owner_authority": cast.education.pk, "category": "education", "ground": "child_request", "reason": REASON}
    data.update(changes)
    return client.post(_url("block_new", cast), {key: value for key, value in data.items() if value is not None})


def _code(user) -> str:
    """Return the next unused TOTP code of the user's confirmed device (each code works once)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if totp.t() <= device.last_t:
        totp.time += device.step * (device.last_t + 1 - totp.t())
    return f"{totp.token():0{device.digits}d}"


def test_a_block_closes_what_consent_disclosure_and_emergency_access_would_open(client, consented):
    cast = consented
    assert _school_records(cast, "bup_clinician")
    now = timezone.now()
    decision = DisclosureDecision.objects.create(
        child=cast.child,
        owner_authority=cast.education,
        outcome="disclose",
        legal_basis="osl_10_2",
        purpose="p",
        necessary="n",
        relevant="r",
        proportionate="p",
        valid_from=now - timedelta(hours=1),
        valid_until=now + timedelta(days=1),
        decided_by=cast.manager,
    )
    decision.recipients.set([cast.region])
    DisclosureCategory.objects.create(decision=decision, category="education")
    EmergencyAccess.objects.create(
        child=cast.child,
        user=cast.bup_clinician,
        owner_authority=cast.education,
        reason="Akut",
        started_at=now - timedelta(minutes=1),
        ends_at=now + timedelta(hours=24),
    )
    sign_in(client, cast.manager)
    assert client.get(_url("block_new", cast)).status_code == 200
    assert _place(client, cast).status_code == 302
    block = Block.objects.get()
    assert (block.owner_authority, block.category, block.created_by) == (cast.education, "education", cast.manager)
    assert AuditEvent.objects.filter(action="create", record_type="Block", record_id=str(block.pk)).exists()
    assert _school_records(cast, "bup_clinician") == []
    assert _school_records(cast, "teacher")  # the owning authority's own staff still see it
    _token, raw = api_token_create(user=cast.bup_clinician, name="Test", days=1)
    api = client.get(
        reverse("api:child_enrolments", kwargs={"child_id": cast.child.pk}), headers={"Authorization": f"Bearer {raw}"}
    )
    assert "Östra skolan" not in [row["unit"]["name"] for row in api.json()]  # the region's own listings only


def test_only_the_owning_authoritys_staff_see_that_a_block_exists(client, consented):
    cast = consented
    sign_in(client, cast.manager)
    _place(client, cast)
    client.logout()
    sign_in(client, cast.teacher)
    assert REASON in client.get(_url("blocks", cast)).content.decode()
    client.logout()
    sign_in(client, cast.bup_clinician)
    response = client.get(_url("blocks", cast))
    assert response.status_code == 200 and REASON not in response.content.decode()
    assert "Häv spärren" not in response.content.decode()


@pytest.mark.parametrize("persona", ["teacher", "named_person"])
def test_a_practitioner_cannot_place_a_block(client, cast, persona):
    sign_in(client, cast.users[persona])
    assert client.get(_url("block_new", cast)).status_code == 403
    assert _place(client, cast).status_code == 403
    assert not Block.objects.exists()


@pytest.mark.parametrize("persona", ["outsider", "other_school_teacher", "expired"])
def test_users_without_a_relation_get_404(client, cast, persona):
    sign_in(client, cast.users[persona])
    for name in ("blocks", "block_new"):
        assert client.get(_url(name, cast)).status_code == 404
    assert _place(client, cast).status_code == 404
    assert not Block.objects.exists()


@pytest.mark.parametrize(
    "changes",
    [{"category": "identity"}, {"category": None}, {"ground": "whim"}, {"reason": "  "}, {"owner_authority": "x"}],
)
def test_bad_input_changes_nothing(client, cast, changes):
    if changes.get("owner_authority") == "x":
        changes["owner_authority"] = cast.region.pk
    sign_in(client, cast.manager)
    response = _place(client, cast, **changes)
    assert response.status_code == 400
    assert "Det finns fel som behöver rättas" in response.content.decode()
    assert not Block.objects.exists()


def test_a_category_is_blocked_once(client, cast):
    sign_in(client, cast.manager)
    _place(client, cast)
    response = _place(client, cast, reason="En gång till")
    assert response.status_code == 400 and "redan spärrad" in response.content.decode()
    assert Block.objects.count() == 1


@pytest.fixture
def blocked(client, consented):
    sign_in(client, consented.manager)
    _place(client, consented)
    return Block.objects.get()


def test_lifting_needs_a_fresh_re_authentication_and_is_logged(client, consented, blocked):
    cast = consented
    url = _url("block_lift", cast, block_id=blocked.pk)
    confirm = client.get(url)
    assert confirm.status_code == 200 and "lösenord" in confirm.content.decode()
    data = {"lift_reason": "Eleven har ändrat sig.", "password": PASSWORD, "code": _code(cast.manager)}
    response = client.post(url, data)
    assert response.status_code == 302
    blocked.refresh_from_db()
    assert (blocked.lifted_by, blocked.lift_reason) == (cast.manager, "Eleven har ändrat sig.")
    row = AuditEvent.objects.get(action="update", record_type="Block")
    assert row.reason == "Eleven har ändrat sig."
    assert _school_records(cast, "bup_clinician")  # the consent opens it again


@pytest.mark.parametrize(
    "changes",
    [
        {"password": "fel-lösenord"},
        {"code": "000000"},
        {"code": ""},
        {"lift_reason": ""},
    ],
)
def test_a_failed_re_authentication_lifts_nothing(client, consented, blocked, changes):
    data = {"lift_reason": "Eleven har ändrat sig.", "password": PASSWORD, "code": _code(consented.manager)}
    data.update(changes)
    response = client.post(_url("block_lift", consented, block_id=blocked.pk), data)
    assert response.status_code == 400
    blocked.refresh_from_db()
    assert blocked.lifted_at is None
    assert _school_records(consented, "bup_clinician") == []


@pytest.mark.parametrize("persona", ["teacher", "bup_clinician", "outsider"])
def test_only_the_owning_authoritys_manager_may_lift(client, consented, blocked, persona):
    client.logout()
    user = consented.users[persona]
    sign_in(client, user)
    data = {"lift_reason": "x", "password": PASSWORD, "code": _code(user)}
    assert client.post(_url("block_lift", consented, block_id=blocked.pk), data).status_code == 404
    blocked.refresh_from_db()
    assert blocked.lifted_at is None
