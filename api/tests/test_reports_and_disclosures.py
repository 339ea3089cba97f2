"""API: reports of concern (file, my receipts) and disclosure decisions (list, create), under the same policy."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from api.tests.conftest import assert_holds_nothing_of
from audit.models import AuditEvent
from sharing import policy
from sharing.models import DisclosureDecision, ReportOfConcern

WHAT = "Alva berättade att hon inte får äta hemma."


def _url(name: str, cast) -> str:
    return reverse(f"api:{name}", kwargs={"child_id": cast.child.pk})


def _report(cast, **changes) -> dict:
    body = {
        "to_unit_id": cast.social_team.pk,
        "what_happened": WHAT,
        "child_words": "Jag är hungrig.",
        "guardians_informed": True,
    }
    body.update(changes)
    return body


def _decision(cast, **changes) -> dict:
    body = {
        "owner_authority_id": cast.education.pk,
        "outcome": "disclose",
        "legal_basis": "osl_10_2",
        "categories": ["education"],
        "recipient_ids": [cast.region.pk],
        "valid_until": (timezone.localdate() + timedelta(days=30)).isoformat(),
        "purpose": "Samordnat stöd",
        "necessary": "n",
        "relevant": "r",
        "proportionate": "p",
    }
    body.update(changes)
    return body


def test_a_teacher_files_a_report_and_gets_a_receipt(client, cast, bearer):
    headers = bearer(cast.teacher)
    response = client.post(_url("report_file", cast), _report(cast), content_type="application/json", headers=headers)
    assert response.status_code == 201
    report = ReportOfConcern.objects.get()
    assert response.json()["receipt_number"] == report.pk
    assert (report.owner_authority, report.reporter) == (cast.social, cast.teacher)
    assert AuditEvent.objects.filter(action="create", surface="api", record_id=str(report.pk)).exists()
    receipts = client.get(reverse("api:report_receipts"), headers=headers).json()
    assert [(row["receipt_number"], row["what_happened"], row["feedback"]) for row in receipts] == [
        (report.pk, WHAT, "pending")
    ]
    row = AuditEvent.objects.get(target="api:report_receipts")
    assert (row.basis, row.child_id) == (policy.Basis.RECEIPT, cast.child.pk)


def test_receipts_are_the_users_own_only(client, cast, bearer):
    client.post(_url("report_file", cast), _report(cast), content_type="application/json", headers=bearer(cast.teacher))
    for persona in ("named_person", "social_worker", "outsider"):
        assert client.get(reverse("api:report_receipts"), headers=bearer(cast.users[persona])).json() == []


@pytest.mark.parametrize("persona", ["outsider", "other_school_teacher", "bup_clinician", "analyst"])
def test_filing_about_a_child_without_a_relation_answers_404(client, cast, bearer, persona):
    response = client.post(
        _url("report_file", cast), _report(cast), content_type="application/json", headers=bearer(cast.users[persona])
    )
    assert response.status_code == 404
    assert_holds_nothing_of(response, cast.child)
    assert not ReportOfConcern.objects.exists()


@pytest.mark.parametrize(
    "changes",
    [{"what_happened": " "}, {"guardians_informed": False}, {"to_unit_id": 999999}, {"to_unit_id": "school"}],
)
def test_bad_reports_change_nothing(client, cast, bearer, changes):
    if changes.get("to_unit_id") == "school":
        changes["to_unit_id"] = cast.school.pk
    response = client.post(
        _url("report_file", cast),
        _report(cast, **changes),
        content_type="application/json",
        headers=bearer(cast.teacher),
    )
    assert response.status_code == 422
    assert not ReportOfConcern.objects.exists()


def test_the_schools_manager_creates_and_lists_a_decision(client, cast, bearer):
    headers = bearer(cast.manager)
    response = client.post(
        _url("child_disclosures", cast), _decision(cast), content_type="application/json", headers=headers
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["outcome"], body["categories"], body["recipients"], body["in_force"]) == (
        "disclose",
        ["education"],
        ["Region Test"],
        True,
    )
    assert AuditEvent.objects.filter(action="create", record_type="DisclosureDecision", surface="api").exists()
    listed = client.get(_url("child_disclosures", cast), headers=bearer(cast.teacher)).json()
    assert [row["id"] for row in listed] == [body["id"]]


def test_a_refusal_needs_no_legal_basis(client, cast, bearer):
    response = client.post(
        _url("child_disclosures", cast),
        _decision(cast, outcome="refuse", legal_basis=""),
        content_type="application/json",
        headers=bearer(cast.manager),
    )
    assert response.status_code == 201 and response.json()["in_force"] is False


def test_a_practitioner_may_not_decide(client, cast, bearer):
    response = client.post(
        _url("child_disclosures", cast), _decision(cast), content_type="application/json", headers=bearer(cast.teacher)
    )
    assert response.status_code == 403
    assert not DisclosureDecision.objects.exists()


@pytest.mark.parametrize("persona", ["outsider", "other_school_teacher", "bup_clinician", "expired"])
def test_other_authorities_and_outsiders_get_404(client, cast, bearer, persona):
    headers = bearer(cast.users[persona])
    listed = client.get(_url("child_disclosures", cast), headers=headers)
    assert listed.status_code == 404
    assert_holds_nothing_of(listed, cast.child)
    created = client.post(
        _url("child_disclosures", cast), _decision(cast), content_type="application/json", headers=headers
    )
    assert created.status_code == 404
    assert not DisclosureDecision.objects.exists()


@pytest.mark.parametrize(
    "changes",
    [
        {"legal_basis": ""},
        {"categories": []},
        {"recipient_ids": []},
        {"recipient_ids": [999999]},
        {"valid_until": "2000-01-01"},
        {"necessary": ""},
        {"outcome": "maybe"},
    ],
)
def test_bad_decisions_change_nothing(client, cast, bearer, changes):
    response = client.post(
        _url("child_disclosures", cast),
        _decision(cast, **changes),
        content_type="application/json",
        headers=bearer(cast.manager),
    )
    assert response.status_code == 422
    assert not DisclosureDecision.objects.exists()


def test_a_manager_may_not_decide_for_another_authority(client, cast, bearer):
    response = client.post(
        _url("child_disclosures", cast),
        _decision(cast, owner_authority_id=cast.region.pk),
        content_type="application/json",
        headers=bearer(cast.manager),
    )
    assert response.status_code == 403
    assert not DisclosureDecision.objects.exists()
