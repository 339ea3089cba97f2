"""Advice and decisions on an identified case: read only by those who may read the case, every write logged."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from audit.models import AuditEvent
from meetings import services
from meetings.models import CaseOutcome
from meetings.tests.helpers import via
from sharing.models import Consent
from testsupport.cast import sign_in


def _url(case):
    return reverse("meetings:case_outcome_new", args=[case.pk])


def _data(case, text="Skolan erbjuder anpassad studiegång."):
    return {f"arende{case.pk}-kind": "decision", f"arende{case.pk}-text": text}


def test_a_member_records_a_decision_on_the_case_and_it_is_logged(cast, team, case, client):
    sign_in(client, cast.bup_clinician)
    assert client.post(_url(case), _data(case)).status_code == 302
    outcome = CaseOutcome.objects.get()
    assert (outcome.case, outcome.kind, outcome.created_by) == (case, "decision", cast.bup_clinician)
    row = AuditEvent.objects.get(record_type="CaseOutcome", action="create")
    assert (row.child_id, row.basis) == (cast.child.pk, f"consent:{cast.consent.pk}")


def test_the_meeting_page_shows_it_under_the_case_to_readers_only(cast, team, case, client):
    services.case_outcome_add(case=case, kind="advice", text="Kontakta elevhälsan.", via=via(cast.named_person))
    sign_in(client, cast.social_worker)
    body = client.get(reverse("meetings:detail", args=[case.meeting_id])).content.decode()
    assert "Kontakta elevhälsan." in body
    Consent.objects.filter(pk=cast.consent.pk).update(status="withdrawn")
    body = client.get(reverse("meetings:detail", args=[case.meeting_id])).content.decode()
    assert "Kontakta elevhälsan." not in body


@pytest.mark.parametrize("who", ["teacher", "outsider", "expired", "manager"])
def test_non_members_another_authority_and_an_expired_user_get_404(cast, team, case, client, who):
    sign_in(client, getattr(cast, who))
    assert client.post(_url(case), _data(case)).status_code == 404
    assert not CaseOutcome.objects.exists()


def test_after_withdrawal_nothing_is_recorded(cast, team, case, client):
    Consent.objects.filter(pk=cast.consent.pk).update(status="withdrawn")
    sign_in(client, cast.named_person)
    assert client.post(_url(case), _data(case)).status_code == 404
    with pytest.raises(PermissionDenied):
        services.case_outcome_add(case=case, kind="advice", text="x", via=via(cast.named_person))
    assert not CaseOutcome.objects.exists()


def test_an_empty_text_gets_a_message_and_changes_nothing(cast, team, case, client):
    sign_in(client, cast.named_person)
    response = client.post(_url(case), _data(case, text=""))
    assert response.status_code == 400
    assert not CaseOutcome.objects.exists()
