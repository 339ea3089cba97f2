"""The CSV export of a child's records: the same people, rows and masks as the overview, and always logged."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from organisations.models import Unit
from sharing import policy
from sharing.models import Consent, ConsentCategory
from testsupport.cast import enrol, sign_in

START = date.today() - timedelta(days=400)
SEEING = ["named_person", "teacher", "manager"]
NOT_SEEING = [
    "other_school_teacher",
    "bvc_nurse",
    "midwife",
    "social_worker",
    "bup_clinician",
    "outsider",
    "expired",
    "analyst",
    "administrator",
]


def url(child) -> str:
    return reverse("people:child_export", kwargs={"child_id": child.pk})


@pytest.fixture
def export(client, cast):
    def get(user, child=None):
        sign_in(client, user)
        return client.get(url(child or cast.child))

    return get


def lines(response) -> list[list[str]]:
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def formatted(child) -> str:
    return f"{child.identity_number[:8]}-{child.identity_number[8:]}"


@pytest.mark.parametrize("persona", SEEING)
def test_it_exports_the_rows_of_the_overview_as_an_uncached_attachment(export, cast, persona):
    response = export(getattr(cast, persona))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith(f'attachment; filename="barnets-uppgifter-{cast.child.pk}-')
    assert "no-store" in response["Cache-Control"]
    header, *rows = lines(response)
    assert header == ["Uppgift", "Beskrivning", "Namngiven person", "Enhet", "Myndighet", "Från", "Till"]
    assert rows[0] == ["Barn", f"Alva Andersson, {formatted(cast.child)}", "", "", "", "", ""]
    assert [
        "Inskrivning",
        "Grundskola",
        "",
        "Östra skolan",
        "Barn- och utbildningsnämnden",
        START.isoformat(),
        "",
    ] in rows
    assert ["Namngiven person", "Skola", "Hanna Rektorsson", "Östra skolan", "", START.isoformat(), ""] in rows
    # The BVC listing is the region's record: without consent the school's staff do not see it, here either.
    assert not any("BVC Centrum" in cell for row in rows for cell in row)


@pytest.mark.parametrize("persona", NOT_SEEING)
def test_it_answers_404_and_logs_nothing_to_everyone_else(export, cast, persona):
    response = export(getattr(cast, persona))
    assert response.status_code == 404
    body = response.content.decode()
    for secret in ("Alva", "Andersson", cast.child.identity_number, "Östra skolan"):
        assert secret not in body
    assert not AuditEvent.objects.filter(child_id=cast.child.pk).exists()


def test_it_logs_the_export_with_its_basis(export, cast):
    export(cast.teacher)
    row = AuditEvent.objects.get(child_id=cast.child.pk)
    assert (row.user_id, row.action, row.surface, row.target, row.basis, row.record_type) == (
        cast.teacher.pk,
        "export",
        "export",
        "people:child_export",
        "enrolment",
        "Child",
    )


def test_a_record_opened_by_consent_is_exported_and_logged_with_the_consent(export, cast):
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
    rows = lines(export(cast.bup_clinician))
    assert any(row[:4] == ["Inskrivning", "Grundskola", "", "Östra skolan"] for row in rows)
    school = cast.child.enrolments.get(unit=cast.school)
    shared = AuditEvent.objects.get(record_type="Enrolment", record_id=str(school.pk))
    assert (shared.action, shared.surface, shared.basis) == ("export", "export", f"consent:{consent.pk}")


def test_it_masks_a_protected_child_as_the_overview_does(export, cast):
    child = cast.protected_child
    enrol(child, cast.preschool, "preschool", START - timedelta(days=1000), START - timedelta(days=1))
    body = export(cast.teacher, child).content.decode("utf-8-sig")
    assert f"{child.identity_number[:8]}-XXXX" in body
    for secret in (child.identity_number, formatted(child), "Solrosen", "Hemliga vägen"):
        assert secret not in body
    assert "Skyddade personuppgifter" in body  # the one wording for whatever is masked
    named = export(cast.named_person, child).content.decode("utf-8-sig")
    assert formatted(child) in named  # the named person knows the child, and so its number ...
    assert "Förskolan Solrosen" not in named  # ... but not where it went before, without a secrecy assessment


def test_a_cell_that_a_spreadsheet_would_run_is_written_as_text(export, cast):
    Unit.objects.filter(pk=cast.school.pk).update(name='=HYPERLINK("http://example.com")')
    rows = lines(export(cast.teacher))
    assert any(row[3] == '\'=HYPERLINK("http://example.com")' for row in rows)


def test_it_accepts_only_reading(client, cast):
    sign_in(client, cast.teacher)
    assert client.post(url(cast.child)).status_code == 405
    assert not AuditEvent.objects.exists()


def test_it_sends_anonymous_visitors_to_the_login_page(client, cast):
    response = client.get(url(cast.child))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_the_child_page_links_to_the_export(client, cast):
    sign_in(client, cast.teacher)
    body = client.get(reverse("people:child", kwargs={"child_id": cast.child.pk})).content.decode()
    assert f'href="{url(cast.child)}"' in body
    assert "Exportera barnets uppgifter (CSV)" in body
