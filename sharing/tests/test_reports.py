"""Reports of concern: the guided form, the reporter's receipt, social services' intake and feedback."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from audit.models import AuditEvent
from organisations.models import Membership, Role, Unit
from sharing import policy
from sharing.models import ReportOfConcern
from testsupport.cast import sign_in

WHAT = "Alva hade blåmärken på båda armarna i dag och ville inte gå hem."
WORDS = "Pappa blir så arg."


def _form(cast, **changes) -> dict:
    data = {
        "to_unit": cast.social_team.pk,
        "what_happened": WHAT,
        "child_words": WORDS,
        "guardians_informed": "nej",
        "not_informed_reason": "Det kan skada barnet.",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def _new_url(cast) -> str:
    return reverse("sharing:report_new", kwargs={"child_id": cast.child.pk})


@pytest.fixture
def filed(client, cast):
    """The teacher files a report about Alva through the page, then signs out."""
    sign_in(client, cast.teacher)
    response = client.post(_new_url(cast), _form(cast))
    assert response.status_code == 302
    client.logout()
    return ReportOfConcern.objects.get()


@pytest.fixture
def adult_team_worker(cast):
    """A social worker at another social services unit of the same authority."""
    unit = Unit.objects.create(authority=cast.social, name="Vuxenenheten", unit_type="social_services_team")
    user = get_user_model().objects.create_user(username="vuxen", first_name="Vera", last_name="Vuxen")
    Membership.objects.create(user=user, unit=unit, role=Role.SOCIAL_WORKER, valid_from=date.today() - timedelta(1))
    return user


def test_it_guides_the_reporter_and_names_the_receiving_unit(client, cast):
    sign_in(client, cast.teacher)
    response = client.get(_new_url(cast))
    assert response.status_code == 200
    body = response.content.decode()
    for text in ("Anmäl direkt", "Utred inte själv", "Ring 112", "Barn och familj", "vårdnadshavarna"):
        assert text in body


def test_it_files_a_report_owned_by_social_services_and_logs_it(client, cast):
    sign_in(client, cast.teacher)
    response = client.post(_new_url(cast), _form(cast, immediate_danger="on"))
    assert response.status_code == 302
    assert response["Location"] == reverse("sharing:my_reports")
    report = ReportOfConcern.objects.get()
    assert (report.owner_authority, report.to_unit, report.category) == (cast.social, cast.social_team, "social")
    assert (report.reporter, report.reporter_authority, report.immediate_danger) == (cast.teacher, cast.education, True)
    assert report.feedback == ReportOfConcern.Feedback.PENDING
    row = AuditEvent.objects.get(action="create")
    assert (row.record_type, row.record_id, row.child_id, row.basis) == (
        "ReportOfConcern",
        str(report.pk),
        cast.child.pk,
        policy.Basis.ENROLMENT,
    )


def test_the_social_worker_at_the_receiving_unit_sees_the_child_and_the_report(client, cast, filed):
    sign_in(client, cast.social_worker)
    assert client.get(reverse("people:child", kwargs={"child_id": cast.child.pk})).status_code == 200
    intake = client.get(reverse("sharing:report_intake"))
    assert intake.status_code == 200
    assert f"Anmälan {filed.pk}" in intake.content.decode()
    detail = client.get(reverse("sharing:report_detail", kwargs={"report_id": filed.pk}))
    assert detail.status_code == 200
    assert WHAT in detail.content.decode() and WORDS in detail.content.decode()
    assert AuditEvent.objects.filter(basis=policy.Basis.REPORT, record_id=str(filed.pk)).exists()


def test_the_reporter_sees_only_the_receipt_and_the_feedback(client, cast, filed):
    filed.feedback = ReportOfConcern.Feedback.INVESTIGATION_OPENED
    filed.save()
    sign_in(client, cast.teacher)
    receipts = client.get(reverse("sharing:my_reports"))
    body = receipts.content.decode()
    assert receipts.status_code == 200
    assert f"Kvitto {filed.pk}" in body and WHAT in body and "Alva Andersson" in body
    assert "Utredning har inletts" in body
    row = AuditEvent.objects.get(target="sharing:my_reports")
    assert (row.basis, row.record_id, row.child_id) == (policy.Basis.RECEIPT, str(filed.pk), cast.child.pk)
    assert client.get(reverse("sharing:report_detail", kwargs={"report_id": filed.pk})).status_code == 404
    assert client.get(reverse("sharing:report_intake")).status_code == 404


@pytest.mark.parametrize("persona", ["named_person", "manager"])
def test_the_reporters_colleagues_do_not_see_the_report(client, cast, filed, persona):
    sign_in(client, cast.users[persona])
    assert WHAT not in client.get(reverse("sharing:my_reports")).content.decode()
    assert WHAT not in client.get(reverse("people:child", kwargs={"child_id": cast.child.pk})).content.decode()
    assert client.get(reverse("sharing:report_detail", kwargs={"report_id": filed.pk})).status_code == 404


@pytest.mark.parametrize("persona", ["other_school_teacher", "outsider", "bup_clinician", "analyst"])
def test_users_without_a_relation_can_neither_report_nor_read(client, cast, filed, persona):
    sign_in(client, cast.users[persona])
    assert client.get(_new_url(cast)).status_code == 404
    assert client.post(_new_url(cast), _form(cast)).status_code == 404
    assert client.get(reverse("sharing:report_detail", kwargs={"report_id": filed.pk})).status_code == 404
    assert ReportOfConcern.objects.count() == 1


def test_a_social_worker_whose_assignment_expired_cannot_report(client, cast):
    sign_in(client, cast.expired)
    assert client.post(_new_url(cast), _form(cast)).status_code == 404
    assert not ReportOfConcern.objects.exists()


def test_another_social_services_unit_does_not_receive_it(client, cast, filed, adult_team_worker):
    sign_in(client, adult_team_worker)
    intake = client.get(reverse("sharing:report_intake"))
    assert intake.status_code == 200 and f"Anmälan {filed.pk}" not in intake.content.decode()
    assert client.get(reverse("sharing:report_detail", kwargs={"report_id": filed.pk})).status_code == 404
    assert client.get(reverse("people:child", kwargs={"child_id": cast.child.pk})).status_code == 404


@pytest.mark.parametrize(
    "changes",
    [
        {"what_happened": "   "},
        {"guardians_informed": "nej", "not_informed_reason": ""},
        {"guardians_informed": None},
        {"to_unit": "school"},
        {"to_unit": "999999"},
    ],
)
def test_bad_input_changes_nothing(client, cast, changes):
    if changes.get("to_unit") == "school":
        changes["to_unit"] = cast.school.pk
    sign_in(client, cast.teacher)
    response = client.post(_new_url(cast), _form(cast, **changes))
    assert response.status_code == 400
    assert "Det finns fel som behöver rättas" in response.content.decode()
    assert not ReportOfConcern.objects.exists()
    assert not AuditEvent.objects.filter(action="create").exists()


def test_guardians_informed_needs_no_reason(client, cast):
    sign_in(client, cast.teacher)
    response = client.post(_new_url(cast), _form(cast, guardians_informed="ja", not_informed_reason="ignoreras"))
    assert response.status_code == 302
    report = ReportOfConcern.objects.get()
    assert report.guardians_informed and report.not_informed_reason == ""


def test_it_says_so_when_the_municipality_has_no_receiving_unit(client, cast):
    Unit.objects.filter(pk=cast.social_team.pk).update(unit_type="leisure")
    sign_in(client, cast.teacher)
    response = client.get(_new_url(cast))
    assert response.status_code == 200
    assert "tar inte emot anmälningar i Samplan" in response.content.decode()
    assert client.post(_new_url(cast), _form(cast)).status_code == 200
    assert not ReportOfConcern.objects.exists()


def test_the_receiving_social_worker_gives_feedback_the_reporter_sees(client, cast, filed):
    sign_in(client, cast.social_worker)
    url = reverse("sharing:report_detail", kwargs={"report_id": filed.pk})
    assert client.post(url, {"feedback": "already_open"}).status_code == 302
    filed.refresh_from_db()
    assert (filed.feedback, filed.feedback_by) == ("already_open", cast.social_worker)
    assert AuditEvent.objects.filter(action="update", record_id=str(filed.pk)).exists()
    client.logout()
    sign_in(client, cast.teacher)
    assert "Utredning pågår redan" in client.get(reverse("sharing:my_reports")).content.decode()


@pytest.mark.parametrize("value", ["pending", "nonsense", ""])
def test_bad_feedback_changes_nothing(client, cast, filed, value):
    sign_in(client, cast.social_worker)
    url = reverse("sharing:report_detail", kwargs={"report_id": filed.pk})
    assert client.post(url, {"feedback": value}).status_code == 400
    filed.refresh_from_db()
    assert filed.feedback == "pending" and filed.feedback_at is None


def test_the_reporter_cannot_give_feedback(client, cast, filed):
    sign_in(client, cast.teacher)
    url = reverse("sharing:report_detail", kwargs={"report_id": filed.pk})
    assert client.post(url, {"feedback": "opened"}).status_code == 404
    filed.refresh_from_db()
    assert filed.feedback == "pending"


def test_the_intake_lists_pending_reports_first_and_newest_first(client, cast, filed):
    sign_in(client, cast.teacher)
    client.post(_new_url(cast), _form(cast, what_happened="Andra"))
    client.post(_new_url(cast), _form(cast, what_happened="Tredje"))
    client.logout()
    first, second, third = ReportOfConcern.objects.order_by("pk")
    third.feedback = "not_opened"
    third.save()
    sign_in(client, cast.social_worker)
    body = client.get(reverse("sharing:report_intake")).content.decode()
    positions = [body.index(f"Anmälan {report.pk}<") for report in (second, first, third)]
    assert positions == sorted(positions)


@pytest.mark.parametrize(
    ("persona", "receipts", "intake"),
    [("teacher", True, False), ("manager", True, False), ("social_worker", True, True), ("analyst", False, False)],
)
def test_the_menu_offers_receipts_to_staff_and_the_intake_to_social_services(client, cast, persona, receipts, intake):
    sign_in(client, cast.users[persona])
    body = client.get("/").content.decode()
    assert ("Mina orosanmälningar" in body) is receipts
    assert ("Inkomna orosanmälningar" in body) is intake
