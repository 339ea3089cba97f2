"""Signed consent forms: downloaded only through the policy, logged, never cached, never at a public URL."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import Resolver404, resolve, reverse
from django.views import static

from audit.models import AuditEvent
from audit.selectors import basis_label
from sharing import policy
from sharing.models import ReportOfConcern
from sharing.services import consents as services
from sharing.tests.consent_setup import ask, staff_via
from testsupport.cast import enrol, sign_in

PDF = b"%PDF-1.4\n% undertecknad blankett\n"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def signed(cast, media):
    """A consent (school to region, education) that the first guardian answered in writing, with the form uploaded."""
    consent = ask(cast)
    party = consent.parties.get(guardian=cast.guardian)
    services.consent_record_answer(
        consent=consent,
        party=party,
        decision="given",
        method="written",
        evidence=SimpleUploadedFile("blankett Petra Andersson.pdf", PDF, content_type="application/pdf"),
        via=staff_via(cast.named_person),
    )
    party.refresh_from_db()
    return consent, party


def downloads():
    """Return the audit rows of form downloads (the audit log is append-only: the set-up's rows stay)."""
    return AuditEvent.objects.filter(target="sharing:consent_evidence")


def url(consent, party) -> str:
    return reverse("sharing:consent_evidence", args=[consent.child_id, consent.pk, party.pk])


def download(client, user, consent, party):
    sign_in(client, user)
    return client.get(url(consent, party))


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_the_asking_authority_downloads_the_form_as_an_uncached_attachment(client, cast, signed):
    consent, party = signed
    response = download(client, cast.named_person, consent, party)
    assert response.status_code == 200
    assert body(response) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="samtycke-{consent.pk}-svar-{party.pk}.pdf"'
    assert "no-store" in response["Cache-Control"]
    assert "Petra" not in response["Content-Disposition"]  # the family's names stay out of file names


def test_the_download_is_logged_with_its_basis(client, cast, signed):
    consent, party = signed
    download(client, cast.named_person, consent, party)
    child_row = downloads().get(record_type="Child")
    assert (child_row.action, child_row.surface, child_row.target, child_row.basis) == (
        "export",
        "export",
        "sharing:consent_evidence",
        policy.Basis.NAMED_PERSON,
    )
    form_row = downloads().get(record_type="ConsentParty")
    assert (form_row.action, form_row.record_id, form_row.basis, form_row.child_id) == (
        "export",
        str(party.pk),
        policy.Basis.OWN_RECORD,
        cast.child.pk,
    )


def test_a_recipient_with_a_relation_downloads_it_on_the_consent(client, cast, signed):
    consent, party = signed
    enrol(cast.child, cast.bup, "other", policy.today() - timedelta(days=10))
    response = download(client, cast.bup_clinician, consent, party)
    assert response.status_code == 200 and body(response) == PDF
    assert downloads().get(record_type="ConsentParty").basis == f"consent:{consent.pk}"


def test_another_authority_with_a_relation_gets_404(client, cast, signed):
    """Social services know the child (a report of concern) but the consent neither comes from nor names them."""
    consent, party = signed
    ReportOfConcern.objects.create(
        child=cast.child,
        owner_authority=cast.social,
        to_unit=cast.social_team,
        reporter=cast.teacher,
        reporter_authority=cast.education,
        what_happened="Oro för hemsituationen.",
    )
    response = download(client, cast.social_worker, consent, party)
    assert response.status_code == 404
    assert PDF not in response.content
    assert not downloads().exists()


@pytest.mark.parametrize("persona", ["outsider", "other_school_teacher", "expired", "bup_clinician", "analyst"])
def test_users_without_a_relation_get_404_and_nothing_is_logged(client, cast, signed, persona):
    consent, party = signed
    response = download(client, getattr(cast, persona), consent, party)
    assert response.status_code == 404
    assert PDF not in response.content and "Alva" not in response.content.decode()
    assert not downloads().exists()


def test_a_party_without_a_form_is_404(client, cast, signed):
    consent, _party = signed
    other = consent.parties.get(guardian=cast.co_guardian)
    assert download(client, cast.named_person, consent, other).status_code == 404


def test_the_form_of_another_childs_consent_is_404_under_this_child(client, cast, signed):
    consent, party = signed
    sign_in(client, cast.named_person)
    wrong = reverse("sharing:consent_evidence", args=[cast.protected_child.pk, consent.pk, party.pk])
    assert client.get(wrong).status_code == 404
    assert not downloads().exists()


def test_a_form_missing_on_disk_is_404(client, cast, signed, media):
    consent, party = signed
    Path(media, party.evidence.name).unlink()
    assert download(client, cast.named_person, consent, party).status_code == 404
    assert not downloads().exists()


def test_a_file_of_another_kind_is_sent_as_bytes_to_save(client, cast, signed):
    consent, party = signed
    party.evidence.save("blankett.html", SimpleUploadedFile("blankett.html", b"<script>alert(1)</script>"))
    response = download(client, cast.named_person, consent, party)
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == f'attachment; filename="samtycke-{consent.pk}-svar-{party.pk}"'


def test_it_accepts_only_reading(client, cast, signed):
    consent, party = signed
    sign_in(client, cast.named_person)
    assert client.post(url(consent, party)).status_code == 405


def test_anonymous_visitors_are_sent_to_log_in(client, cast, signed):
    consent, party = signed
    response = client.get(url(consent, party))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_the_consent_page_links_the_uploaded_form(client, cast, signed):
    consent, party = signed
    sign_in(client, cast.named_person)
    page = client.get(reverse("sharing:consents", args=[cast.child.pk])).content.decode()
    assert f'href="{url(consent, party)}"' in page
    assert "blankett uppladdad" in page


def test_uploaded_files_have_no_public_url(client, cast, signed):
    _consent, party = signed
    # Nothing serves MEDIA_ROOT: no MEDIA_URL, no static serve view, not inside the static trees.
    assert django_settings.MEDIA_URL in ("", "/")  # Django's default, prefixed with the script name
    media_root = Path(django_settings.MEDIA_ROOT).resolve()
    for static_root in [django_settings.STATIC_ROOT, *django_settings.STATICFILES_DIRS]:
        static_dir = Path(static_root if isinstance(static_root, str | Path) else static_root[1]).resolve()
        assert not media_root.is_relative_to(static_dir) and not static_dir.is_relative_to(media_root)
    assert getattr(django_settings, "WHITENOISE_ROOT", None) is None
    for path in (f"/{party.evidence.name}", f"/media/{party.evidence.name}"):
        try:
            match = resolve(path)
        except Resolver404:
            continue
        assert match.func is not static.serve
    sign_in(client, cast.named_person)
    assert client.get(f"/media/{party.evidence.name}").status_code == 404


def test_reads_on_a_consent_are_named_in_words_in_the_log():
    assert basis_label("consent:12") == "Samtycke"
    assert basis_label("disclosure_decision:3") == "Beslutat utlämnande"
