"""The family's consent pages: who sees them, answering with a plain explanation, a child's view, withdrawal."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from sharing.models import Consent
from sharing.services import consents as services
from sharing.tests.consent_setup import ask, child_login, family_via, plan_with, set_age
from testsupport.cast import sign_in


def _url(name, cast, *args):
    return reverse(f"family:{name}", args=[cast.child.pk, *args])


def _given(cast):
    consent = ask(cast)
    for user in (cast.guardian_user, cast.co_guardian_user):
        services.consent_answer(consent=consent, decision="given", via=family_via(user))
    consent.refresh_from_db()
    return consent


def test_a_guardian_sees_the_request_explained_and_answers(client, cast):
    consent = ask(cast)
    sign_in(client, cast.guardian_user)
    page = client.get(_url("consents", cast)).content.decode()
    assert "Väntar på ditt svar" in page and "Region Test" in page and "Samordnat stöd" in page
    answer = client.get(_url("consent_answer", cast, consent.pk)).content.decode()
    assert "påverkar inte annat stöd" in answer and page.count("<h1") == 1
    response = client.post(_url("consent_answer", cast, consent.pk), {"decision": "given"})
    assert response.status_code == 302
    party = consent.parties.get(guardian=cast.guardian)
    assert (party.decision, party.method) == ("given", "digital")
    assert AuditEvent.objects.filter(target="family:consent_answer", basis="guardian", action="update").exists()
    # Answered: the request no longer waits for this guardian.
    assert client.get(_url("consent_answer", cast, consent.pk)).status_code == 404


def test_an_answer_without_a_choice_changes_nothing(client, cast):
    consent = ask(cast)
    sign_in(client, cast.guardian_user)
    response = client.post(_url("consent_answer", cast, consent.pk), {})
    assert response.status_code == 400
    assert consent.parties.get(guardian=cast.guardian).decided_at is None


def test_declining_is_an_ordinary_answer(client, cast):
    consent = ask(cast)
    sign_in(client, cast.co_guardian_user)
    client.post(_url("consent_answer", cast, consent.pk), {"decision": "declined"})
    consent.refresh_from_db()
    assert consent.status == Consent.Status.DECLINED
    page = client.get(_url("consents", cast)).content.decode()
    assert "Inte lämnat" in page and 'data-color="warning"' not in page


@pytest.mark.parametrize("persona", ["noncustodial_user", "named_person", "outsider"])
def test_others_get_404(client, cast, persona):
    consent = ask(cast)
    sign_in(client, getattr(cast, persona))
    assert client.get(_url("consents", cast)).status_code == 404
    assert client.post(_url("consent_answer", cast, consent.pk), {"decision": "given"}).status_code == 404
    assert consent.parties.filter(decided_at__isnull=False).count() == 0


def test_withdrawal_needs_a_confirmation_and_ends_the_consent(client, cast):
    consent = _given(cast)
    sign_in(client, cast.co_guardian_user)
    page = client.get(_url("consent_withdraw", cast, consent.pk)).content.decode()
    assert "Ja, ta tillbaka samtycket" in page
    consent.refresh_from_db()
    assert consent.status == Consent.Status.GIVEN  # the page alone changes nothing
    assert client.post(_url("consent_withdraw", cast, consent.pk)).status_code == 302
    consent.refresh_from_db()
    assert consent.status == Consent.Status.WITHDRAWN
    assert client.get(_url("consent_withdraw", cast, consent.pk)).status_code == 404


def test_a_child_below_the_consent_age_gives_a_view_not_consent(client, cast):
    set_age(cast.child, 13)
    user = child_login(cast.child)
    consent = ask(cast)
    sign_in(client, user)
    form = client.get(_url("consent_answer", cast, consent.pk)).content.decode()
    assert "egna ord" in form and 'value="given"' not in form
    client.post(_url("consent_answer", cast, consent.pk), {"view": "Det är okej"})
    party = consent.parties.get(is_child=True)
    assert (party.decision, party.view) == ("view_only", "Det är okej")
    consent.refresh_from_db()
    assert consent.status == Consent.Status.REQUESTED
    assert AuditEvent.objects.filter(basis="child_self", record_type="ConsentParty").exists()


def test_the_plans_participants_are_explained_with_whom_they_mean_today(client, cast):
    consent = ask(cast, recipients=[], to_plan_participants=True)
    plan = plan_with(cast, cast.region, cast.social)
    sign_in(client, cast.guardian_user)
    answer = client.get(_url("consent_answer", cast, consent.pk)).content.decode()
    assert "De myndigheter som deltar i barnets plan" in answer
    assert "I dag betyder det: Region Test, Socialnämnden." in answer
    assert "Kommer en ny myndighet med i planen får den också uppgifterna" in answer
    plan.status = "closed"
    plan.save(update_fields=["status"])
    page = client.get(_url("consents", cast)).content.decode()
    assert "I dag deltar ingen annan myndighet i en pågående plan" in page
    assert "Region Test" not in page
