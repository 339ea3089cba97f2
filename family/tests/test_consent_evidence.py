"""A guardian downloads the signed form of their own answer, never another guardian's; each download is logged."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from people.models import Guardianship
from sharing import policy
from sharing.models import Consent
from sharing.services import consents as services
from sharing.tests.consent_setup import ask, child_login, family_via, set_age, staff_via
from testsupport.cast import sign_in

PETRA = b"%PDF-1.4\n% Petras undertecknade blankett\n"
JOHAN = b"%PDF-1.4\n% Johans undertecknade blankett\n"
TARGET = "family:consent_evidence"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _written(cast, consent, guardian, content: bytes):
    party = consent.parties.get(guardian=guardian)
    services.consent_record_answer(
        consent=consent,
        party=party,
        decision="given",
        method="written",
        evidence=SimpleUploadedFile("blankett.pdf", content, content_type="application/pdf"),
        via=staff_via(cast.named_person),
    )
    party.refresh_from_db()
    return party


@pytest.fixture
def signed(cast, media):
    """A consent the first guardian answered on paper (the form uploaded); the other guardian said yes online."""
    consent = ask(cast)
    party = _written(cast, consent, cast.guardian, PETRA)
    services.consent_answer(consent=consent, decision="given", via=family_via(cast.co_guardian_user))
    consent.refresh_from_db()
    assert consent.status == Consent.Status.GIVEN
    return consent, party


def url(consent) -> str:
    return reverse("family:consent_evidence", args=[consent.child_id, consent.pk])


def download(client, user, consent):
    sign_in(client, user)
    return client.get(url(consent))


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def downloads():
    return AuditEvent.objects.filter(target=TARGET)


def test_a_guardian_downloads_their_own_form_uncached_and_logged(client, cast, signed):
    consent, party = signed
    response = download(client, cast.guardian_user, consent)
    assert response.status_code == 200 and body(response) == PETRA
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="samtycke-{consent.pk}-svar-{party.pk}.pdf"'
    assert "no-store" in response["Cache-Control"]
    child_row = downloads().get(record_type="Child")
    assert (child_row.action, child_row.surface, child_row.basis, child_row.child_id) == (
        "export",
        "export",
        policy.Basis.GUARDIAN,
        cast.child.pk,
    )
    form_row = downloads().get(record_type="ConsentParty")
    assert (form_row.action, form_row.record_id, form_row.basis, form_row.user_id) == (
        "export",
        str(party.pk),
        policy.Basis.GUARDIAN,
        cast.guardian_user.pk,
    )


def test_the_other_guardian_never_gets_that_form(client, cast, signed):
    consent, _party = signed
    response = download(client, cast.co_guardian_user, consent)  # answered online: no form of their own
    assert response.status_code == 404
    assert PETRA not in response.content
    assert not downloads().exists()


def test_each_guardian_gets_only_their_own_form(client, cast, media):
    consent = ask(cast)
    _written(cast, consent, cast.guardian, PETRA)
    _written(cast, consent, cast.co_guardian, JOHAN)
    assert body(download(client, cast.guardian_user, consent)) == PETRA
    client.logout()
    assert body(download(client, cast.co_guardian_user, consent)) == JOHAN


@pytest.mark.parametrize(
    "persona",
    ["noncustodial_user", "named_person", "teacher", "bup_clinician", "social_worker", "outsider", "expired"],
)
def test_everyone_else_gets_404_and_nothing_is_logged(client, cast, signed, persona):
    """Staff of the asking authority, of a recipient, of another authority, and a parent without custody."""
    consent, _party = signed
    response = download(client, getattr(cast, persona), consent)
    assert response.status_code == 404
    assert PETRA not in response.content and "Alva" not in response.content.decode()
    assert not downloads().exists()


@pytest.mark.parametrize("ending", ["withdrawn", "expired"])
def test_the_form_stays_the_guardians_own_after_the_consent_ended(client, cast, signed, ending):
    """The signed form is the guardian's own answer: withdrawal or expiry ends the sharing, not their copy."""
    consent, _party = signed
    if ending == "withdrawn":
        services.consent_withdraw(consent=consent, via=family_via(cast.co_guardian_user))
    else:
        now = timezone.now()
        Consent.objects.filter(pk=consent.pk).update(valid_from=now - timedelta(days=9), valid_until=now)
    assert body(download(client, cast.guardian_user, consent)) == PETRA
    client.logout()
    assert download(client, cast.co_guardian_user, consent).status_code == 404


def test_a_guardian_whose_custody_ended_gets_404(client, cast, signed):
    consent, _party = signed
    Guardianship.objects.filter(child=cast.child, guardian=cast.guardian).update(
        valid_to=policy.today() - timedelta(days=1)
    )
    assert download(client, cast.guardian_user, consent).status_code == 404
    assert not downloads().exists()


def test_a_form_missing_on_disk_is_404_and_nothing_is_logged(client, cast, signed, media):
    consent, party = signed
    Path(media, party.evidence.name).unlink()
    assert download(client, cast.guardian_user, consent).status_code == 404
    assert not downloads().exists()


def test_another_childs_consent_is_404_under_this_child(client, cast, signed):
    consent, _party = signed
    sign_in(client, cast.guardian_user)
    wrong = reverse("family:consent_evidence", args=[cast.protected_child.pk, consent.pk])
    assert client.get(wrong).status_code == 404
    assert not downloads().exists()


def test_a_child_downloads_the_form_of_their_own_answer(client, cast, media):
    set_age(cast.child, 15)
    user = child_login(cast.child)
    consent = ask(cast)
    party = consent.parties.get(is_child=True)
    services.consent_record_answer(
        consent=consent,
        party=party,
        decision="given",
        method="written",
        evidence=SimpleUploadedFile("min blankett.png", b"\x89PNG\r\n\x1a\nbild", content_type="image/png"),
        via=staff_via(cast.named_person),
    )
    response = download(client, user, consent)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert downloads().get(record_type="ConsentParty").basis == policy.Basis.CHILD_SELF


def test_it_accepts_only_reading(client, cast, signed):
    consent, _party = signed
    sign_in(client, cast.guardian_user)
    assert client.post(url(consent)).status_code == 405


def test_anonymous_visitors_are_sent_to_log_in(client, cast, signed):
    consent, _party = signed
    response = client.get(url(consent))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_the_consent_page_links_only_the_users_own_form(client, cast, signed):
    consent, _party = signed
    sign_in(client, cast.guardian_user)
    page = client.get(reverse("family:consents", args=[cast.child.pk])).content.decode()
    assert f'href="{url(consent)}"' in page and "Ladda ner blanketten du skrev under" in page
    client.logout()
    sign_in(client, cast.co_guardian_user)
    page = client.get(reverse("family:consents", args=[cast.child.pk])).content.decode()
    assert url(consent) not in page
