"""Uploading a signed consent form: only PDF, JPEG or PNG by their first bytes, up to 10 MB; nothing saved otherwise."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sharing.evidence import MAX_BYTES
from sharing.models import ConsentEvent
from sharing.services import consents as services
from sharing.tests.consent_setup import ask, staff_via
from testsupport.cast import sign_in

PDF = b"%PDF-1.7\n% blankett\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
WRONG_KIND = "Filen är inte en PDF-, JPEG- eller PNG-fil"
TOO_LARGE = "Filen är större än 10 MB"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def waiting(cast, media):
    consent = ask(cast)
    return consent, consent.parties.get(guardian=cast.guardian)


def _files(media) -> list:
    return [path for path in media.rglob("*") if path.is_file()]


def _record(cast, consent, party, upload):
    return services.consent_record_answer(
        consent=consent,
        party=party,
        decision="given",
        method="written",
        evidence=upload,
        via=staff_via(cast.named_person),
    )


@pytest.mark.parametrize(
    ("name", "content"),
    [("Blankett Petra Andersson.PDF", PDF), ("foto.jpg", JPEG), ("foto.jpeg", JPEG), ("skanning.png", PNG)],
)
def test_it_keeps_a_pdf_jpeg_or_png_under_a_neutral_name(cast, waiting, media, name, content):
    consent, party = waiting
    party = _record(cast, consent, party, SimpleUploadedFile(name, content))
    stored = party.evidence.name
    assert stored.startswith("consent-evidence/") and "Petra" not in stored and "Andersson" not in stored
    assert stored.endswith(name[name.rindex(".") :].lower())
    assert [path.read_bytes() for path in _files(media)] == [content]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("blankett.pdf", b"<html><script>alert(1)</script></html>", WRONG_KIND),  # the name lies
        ("blankett.pdf", PNG, WRONG_KIND),  # a picture named as a PDF would be sent as one
        ("blankett.exe", b"MZ\x90\x00", WRONG_KIND),
        ("blankett.docx", b"PK\x03\x04", WRONG_KIND),
        ("blankett", PDF, WRONG_KIND),  # no name ending to send it by
        ("blankett.pdf", b"", WRONG_KIND),
        ("blankett.pdf", PDF + b"0" * (MAX_BYTES - len(PDF) + 1), TOO_LARGE),
    ],
)
def test_it_refuses_anything_else_and_changes_nothing(cast, waiting, media, name, content, message):
    consent, party = waiting
    with pytest.raises(ValidationError) as caught:
        _record(cast, consent, party, SimpleUploadedFile(name, content))
    assert message in caught.value.message_dict["evidence"][0]
    party.refresh_from_db()
    assert (party.decided_at, party.evidence.name) == (None, "")
    assert not consent.events.filter(kind=ConsentEvent.Kind.ANSWERED).exists()
    assert _files(media) == []


def test_exactly_ten_megabytes_is_accepted(cast, waiting, media):
    consent, party = waiting
    party = _record(cast, consent, party, SimpleUploadedFile("stor.pdf", PDF + b"0" * (MAX_BYTES - len(PDF))))
    assert party.evidence.size == MAX_BYTES


def _post(client, cast, consent, party, upload):
    sign_in(client, cast.named_person)
    url = reverse("sharing:consent_record_answer", args=[cast.child.pk, consent.pk, party.pk])
    return client.post(url, {"decision": "given", "method": "written", "evidence": upload})


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("blankett.pdf", b"GIF89a...", content_type="application/pdf"), WRONG_KIND),
        (SimpleUploadedFile("blankett.pdf", PDF + b"0" * MAX_BYTES, content_type="application/pdf"), TOO_LARGE),
    ],
)
def test_the_page_says_what_to_do_and_saves_nothing(client, cast, waiting, media, upload, message):
    consent, party = waiting
    response = _post(client, cast, consent, party, upload)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page and "ladda upp den igen" in page
    party.refresh_from_db()
    assert party.decided_at is None and not party.evidence
    assert _files(media) == []


def test_the_page_says_what_it_accepts_and_takes_a_scanned_form(client, cast, waiting, media):
    consent, party = waiting
    sign_in(client, cast.named_person)
    form = client.get(reverse("sharing:consent_record_answer", args=[cast.child.pk, consent.pk, party.pk]))
    assert "PDF, JPEG eller PNG, högst 10 MB" in form.content.decode()
    response = _post(client, cast, consent, party, SimpleUploadedFile("skanning.jpg", JPEG))
    assert response.status_code == 302
    party.refresh_from_db()
    assert party.decided_at is not None and party.evidence.name.endswith(".jpg")
