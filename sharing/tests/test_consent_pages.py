"""Staff consent pages: who sees them, the duty question, answers with evidence, limits, extensions, withdrawal."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from sharing import policy
from sharing.models import Consent, FamilyNotice, LegalBasis
from sharing.services import consents as services
from sharing.tests.consent_setup import ask, staff_via
from testsupport.cast import enrol, sign_in

pytestmark = pytest.mark.usefixtures("media")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _url(name, cast, *args):
    return reverse(f"sharing:{name}", args=[cast.child.pk, *args])


def _given(cast, **kwargs):
    consent = ask(cast, **kwargs)
    for party in consent.parties.all():
        services.consent_record_answer(
            consent=consent,
            party=party,
            decision="given",
            method="oral",
            evidence_note="Möte",
            via=staff_via(cast.named_person),
        )
    consent.refresh_from_db()
    return consent


def _request_data(cast, **changes):
    today = timezone.localdate()
    data = {
        "shared_under_duty": "no",
        "purpose": "Samordnat stöd",
        "categories": ["education"],
        "recipients": [cast.region.pk],
        "valid_from": today.isoformat(),
        "valid_until": (today + timedelta(days=90)).isoformat(),
    }
    return {**data, **changes}


def test_the_named_person_lists_and_asks(client, cast):
    sign_in(client, cast.named_person)
    response = client.post(_url("consent_new", cast), _request_data(cast))
    assert response.status_code == 302
    consent = Consent.objects.get()
    assert consent.owner_authority == cast.education and consent.parties.count() == 2
    page = client.get(_url("consents", cast))
    assert page.status_code == 200 and "Samordnat stöd" in page.content.decode()
    assert AuditEvent.objects.filter(target="sharing:consents", basis="named_person").exists()


@pytest.mark.parametrize("persona", ["outsider", "other_school_teacher", "expired", "bup_clinician", "analyst"])
@pytest.mark.parametrize("name", ["consents", "consent_new", "consent_notice"])
def test_users_without_a_relation_get_404(client, cast, persona, name):
    sign_in(client, cast.users[persona])
    assert client.get(_url(name, cast)).status_code == 404


def test_a_consent_of_another_authority_is_404_to_change_and_hidden_from_the_list(client, cast):
    consent = _given(cast)
    enrol(cast.child, cast.bup, "other", policy.today() - timedelta(days=3))
    sign_in(client, cast.bup_clinician)
    # The region is a recipient: it sees the consent but may not change it.
    assert "Samordnat stöd" in client.get(_url("consents", cast)).content.decode()
    for name in ("consent_limit", "consent_extend", "consent_withdraw"):
        assert client.get(_url(name, cast, consent.pk)).status_code == 404
    enrol(cast.child, cast.social_team, "other", policy.today() - timedelta(days=3))
    sign_in(client, cast.social_worker)
    assert "Samordnat stöd" not in client.get(_url("consents", cast)).content.decode()


def test_a_user_whose_relation_expired_sees_nothing_of_a_consent(client, cast):
    consent = _given(cast)
    sign_in(client, cast.expired)
    assert client.get(_url("consent_withdraw", cast, consent.pk)).status_code == 404


def test_the_duty_answer_creates_no_request_and_offers_to_inform(client, cast):
    sign_in(client, cast.named_person)
    response = client.post(_url("consent_new", cast), _request_data(cast, shared_under_duty="yes"))
    assert response.url == _url("consent_notice", cast)
    assert not Consent.objects.exists()
    page = client.get(response.url).content.decode()
    assert "inte be om samtycke" in page
    response = client.post(
        response.url,
        {"legal_basis": LegalBasis.DUTY_TO_INFORM, "what": "Uppgifter till socialtjänsten", "informed_how": "Möte"},
    )
    assert response.status_code == 302
    assert FamilyNotice.objects.get().owner_authority == cast.education


@pytest.mark.parametrize(
    "change",
    [{"purpose": ""}, {"categories": []}, {"recipients": []}, {"valid_until": "2001-01-01"}, {"valid_from": "x"}],
)
def test_bad_input_changes_nothing(client, cast, change):
    sign_in(client, cast.named_person)
    response = client.post(_url("consent_new", cast), _request_data(cast, **change))
    assert response.status_code == 400
    assert "Det finns fel som behöver rättas" in response.content.decode()
    assert not Consent.objects.exists()


def test_a_written_answer_needs_evidence_and_then_counts(client, cast):
    consent = ask(cast)
    party = consent.parties.get(guardian=cast.guardian)
    sign_in(client, cast.named_person)
    url = _url("consent_record_answer", cast, consent.pk, party.pk)
    assert client.post(url, {"decision": "given", "method": "written"}).status_code == 400
    party.refresh_from_db()
    assert party.decided_at is None
    form = SimpleUploadedFile("samtycke.pdf", b"%PDF-1.4", content_type="application/pdf")
    assert client.post(url, {"decision": "given", "method": "written", "evidence": form}).status_code == 302
    party.refresh_from_db()
    assert (party.decision, party.documented_by, bool(party.evidence)) == ("given", cast.named_person, True)


def test_limit_extend_and_withdraw(client, cast):
    consent = _given(cast, categories=("education", "health"))
    sign_in(client, cast.named_person)
    last = timezone.localdate(consent.valid_until - timedelta(seconds=1))
    response = client.post(
        _url("consent_limit", cast, consent.pk),
        {"categories": ["health"], "recipients": [cast.region.pk], "valid_until": last.isoformat()},
    )
    assert response.status_code == 302
    assert list(consent.categories.values_list("category", flat=True)) == ["health"]
    response = client.post(
        _url("consent_extend", cast, consent.pk),
        {
            "categories": ["health"],
            "recipients": [cast.region.pk],
            "valid_until": (last + timedelta(days=30)).isoformat(),
        },
    )
    assert response.status_code == 302
    assert Consent.objects.get(replaces=consent).status == "requested"
    page = client.get(_url("consent_withdraw", cast, consent.pk))
    assert "Bekräfta återkallelsen" in page.content.decode()
    party = consent.parties.get(guardian=cast.co_guardian)
    assert client.post(_url("consent_withdraw", cast, consent.pk), {"party": party.pk}).status_code == 302
    consent.refresh_from_db()
    assert consent.status == "withdrawn"


def test_a_withdrawal_without_saying_whose_word_changes_nothing(client, cast):
    consent = _given(cast)
    sign_in(client, cast.named_person)
    assert client.post(_url("consent_withdraw", cast, consent.pk), {}).status_code == 400
    consent.refresh_from_db()
    assert consent.status == "given"


def test_cancel_a_waiting_request(client, cast):
    consent = ask(cast)
    sign_in(client, cast.named_person)
    assert client.get(_url("consent_cancel", cast, consent.pk)).status_code == 200
    assert client.post(_url("consent_cancel", cast, consent.pk)).status_code == 302
    consent.refresh_from_db()
    assert consent.status == "cancelled"


def test_the_child_overview_shows_what_may_be_shared_with_an_expiry_warning(client, cast):
    _given(cast, days=10)
    sign_in(client, cast.named_person)
    page = client.get(reverse("people:child", args=[cast.child.pk])).content.decode()
    assert "Vad som får delas med samtycke" in page and "Region Test" in page and "Upphör snart" in page
    list_page = client.get(_url("consents", cast)).content.decode()
    assert "Fråga familjen i god tid" in list_page


def test_a_declined_consent_is_shown_without_warning(client, cast):
    consent = ask(cast)
    services.consent_record_answer(
        consent=consent,
        party=consent.parties.first(),
        decision="declined",
        method="oral",
        evidence_note="Nej",
        via=staff_via(cast.named_person),
    )
    sign_in(client, cast.named_person)
    page = client.get(_url("consents", cast)).content.decode()
    assert "Inte lämnat" in page and 'data-color="warning"' not in page
