"""Disclosure decisions: who may decide, what a decision opens, and that refusals and ended decisions open nothing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from audit import log as audit
from audit.models import AuditEvent
from organisations.models import Membership, Role
from people.models import Enrolment
from sharing import policy
from sharing.models import DisclosureDecision
from testsupport.cast import enrol, sign_in

PURPOSE = "BUP behöver veta hur skolgången fungerar för att kunna bedöma behovet av stöd."


@pytest.fixture
def bup_related(cast):
    """Give the BUP clinician a relation to the child (a BUP listing); the region is the recipient."""
    enrol(cast.child, cast.bup, "other", policy.today() - timedelta(days=10))
    return cast


@pytest.fixture
def social_manager(cast):
    user = get_user_model().objects.create_user(username="socchef", first_name="Siv", last_name="Socialchef")
    Membership.objects.create(
        user=user, unit=cast.social_team, role=Role.MANAGER, valid_from=date.today() - timedelta(1)
    )
    return user


def _school_records(cast, who) -> list:
    user = getattr(cast, who)
    with audit.deferred():
        access = policy.child_for_user(
            user, cast.child.pk, actor=policy.actor_for(user, session_key="s"), surface="page", target="t"
        )
        return list(policy.records_for_user(access, Enrolment.objects.filter(owner_authority=cast.education)))


def _form(cast, **changes) -> dict:
    data = {
        "owner_authority": cast.education.pk,
        "outcome": "disclose",
        "legal_basis": "osl_10_2",
        "categories": ["education"],
        "recipients": [cast.region.pk],
        "valid_until": (timezone.localdate() + timedelta(days=30)).isoformat(),
        "purpose": PURPOSE,
        "necessary": "Skolan kan inte ge rätt stöd utan BUP:s bedömning.",
        "relevant": "Bara uppgifter om skolgången.",
        "proportionate": "Vårdnadshavarna nås inte; samtycke kan inte inhämtas i tid.",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def _url(name, cast, **kwargs) -> str:
    return reverse(f"sharing:{name}", kwargs={"child_id": cast.child.pk, **kwargs})


def test_the_owning_authoritys_manager_decides_and_the_recipient_sees_exactly_that(client, bup_related):
    cast = bup_related
    assert _school_records(cast, "bup_clinician") == []
    sign_in(client, cast.manager)
    assert client.get(_url("disclosure_new", cast)).status_code == 200
    response = client.post(_url("disclosure_new", cast), _form(cast))
    assert response.status_code == 302
    decision = DisclosureDecision.objects.get()
    assert (decision.owner_authority, decision.outcome, decision.decided_by) == (
        cast.education,
        "disclose",
        cast.manager,
    )
    assert list(decision.categories.values_list("category", flat=True)) == ["education"]
    assert timezone.localtime(decision.valid_until).date() == timezone.localdate() + timedelta(days=31)
    assert AuditEvent.objects.filter(action="create", record_type="DisclosureDecision").exists()
    rows = _school_records(cast, "bup_clinician")
    assert rows and {(row.shared_basis, row.shared_basis_id) for row in rows} == {
        (policy.Basis.DISCLOSURE, decision.pk)
    }


def test_a_decision_for_another_category_opens_nothing(client, bup_related):
    sign_in(client, bup_related.manager)
    client.post(_url("disclosure_new", bup_related), _form(bup_related, categories=["health"]))
    assert DisclosureDecision.objects.count() == 1
    assert _school_records(bup_related, "bup_clinician") == []


def test_a_refusal_is_recorded_with_its_reasons_and_opens_nothing(client, bup_related):
    sign_in(client, bup_related.manager)
    response = client.post(_url("disclosure_new", bup_related), _form(bup_related, outcome="refuse", legal_basis=""))
    assert response.status_code == 302
    decision = DisclosureDecision.objects.get()
    assert decision.outcome == "refuse" and decision.necessary
    assert _school_records(bup_related, "bup_clinician") == []
    page = client.get(_url("disclosures", bup_related)).content.decode()
    assert "Lämnas inte ut" in page and PURPOSE in page


@pytest.mark.parametrize("persona", ["teacher", "named_person"])
def test_a_practitioner_cannot_decide(client, cast, persona):
    sign_in(client, cast.users[persona])
    assert client.get(_url("disclosure_new", cast)).status_code == 403
    assert client.post(_url("disclosure_new", cast), _form(cast)).status_code == 403
    assert not DisclosureDecision.objects.exists()


@pytest.mark.parametrize("persona", ["outsider", "other_school_teacher", "expired", "bup_clinician"])
def test_users_without_a_relation_get_404(client, cast, persona):
    sign_in(client, cast.users[persona])
    for name in ("disclosures", "disclosure_new"):
        assert client.get(_url(name, cast)).status_code == 404
    assert client.post(_url("disclosure_new", cast), _form(cast)).status_code == 404
    assert not DisclosureDecision.objects.exists()


def test_a_manager_of_another_authority_cannot_decide_on_the_schools_information(client, cast, social_manager):
    enrol(cast.child, cast.social_team, "other", policy.today() - timedelta(days=3))
    sign_in(client, social_manager)
    response = client.post(_url("disclosure_new", cast), _form(cast))
    assert response.status_code == 400
    assert not DisclosureDecision.objects.exists()


@pytest.mark.parametrize(
    "changes",
    [
        {"legal_basis": ""},
        {"categories": None},
        {"categories": ["identity"]},
        {"recipients": None},
        {"recipients": "own"},
        {"valid_until": None},
        {"valid_until": "past"},
        {"necessary": "  "},
        {"relevant": ""},
        {"proportionate": ""},
        {"outcome": "maybe"},
    ],
)
def test_bad_input_changes_nothing(client, cast, changes):
    if changes.get("recipients") == "own":
        changes["recipients"] = [cast.education.pk]
    if changes.get("valid_until") == "past":
        changes["valid_until"] = timezone.localdate().isoformat()
    sign_in(client, cast.manager)
    response = client.post(_url("disclosure_new", cast), _form(cast, **changes))
    assert response.status_code == 400
    assert "Det finns fel som behöver rättas" in response.content.decode()
    assert not DisclosureDecision.objects.exists()
    assert not AuditEvent.objects.filter(action="create").exists()


def test_revoking_asks_for_confirmation_and_closes_at_once(client, bup_related):
    cast = bup_related
    sign_in(client, cast.manager)
    client.post(_url("disclosure_new", cast), _form(cast))
    decision = DisclosureDecision.objects.get()
    url = _url("disclosure_revoke", cast, decision_id=decision.pk)
    confirm = client.get(url)
    assert confirm.status_code == 200 and "Bekräfta" in confirm.content.decode()
    decision.refresh_from_db()
    assert decision.revoked_at is None
    assert client.post(url).status_code == 302
    decision.refresh_from_db()
    assert decision.revoked_by == cast.manager
    assert _school_records(cast, "bup_clinician") == []
    assert client.post(url).status_code == 404  # already revoked: nothing left to revoke


@pytest.mark.parametrize("persona", ["teacher", "bup_clinician", "outsider"])
def test_only_the_deciding_authority_may_revoke(client, bup_related, persona):
    cast = bup_related
    sign_in(client, cast.manager)
    client.post(_url("disclosure_new", cast), _form(cast))
    client.logout()
    decision = DisclosureDecision.objects.get()
    sign_in(client, cast.users[persona])
    assert client.post(_url("disclosure_revoke", cast, decision_id=decision.pk)).status_code == 404
    decision.refresh_from_db()
    assert decision.revoked_at is None


def test_an_expired_decision_opens_nothing(client, bup_related):
    cast = bup_related
    sign_in(client, cast.manager)
    client.post(_url("disclosure_new", cast), _form(cast))
    now = timezone.now()
    DisclosureDecision.objects.update(valid_from=now - timedelta(days=31), valid_until=now - timedelta(minutes=1))
    assert _school_records(cast, "bup_clinician") == []
    page = client.get(_url("disclosures", cast)).content.decode()
    assert "Har upphört" in page and "Återkalla beslutet" not in page


def test_the_list_shows_only_the_users_own_authoritys_decisions(client, bup_related):
    cast = bup_related
    sign_in(client, cast.manager)
    client.post(_url("disclosure_new", cast), _form(cast))
    client.logout()
    sign_in(client, cast.teacher)
    assert PURPOSE in client.get(_url("disclosures", cast)).content.decode()
    client.logout()
    sign_in(client, cast.bup_clinician)
    response = client.get(_url("disclosures", cast))
    assert response.status_code == 200 and PURPOSE not in response.content.decode()
