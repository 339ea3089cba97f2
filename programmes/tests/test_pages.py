"""The programme pages over HTTP: who may open what, and the grant and lecture flows end to end."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import User
from audit.models import AuditEvent
from core.personnummer import with_check_digit
from organisations.models import Authority, Membership, Municipality, Role, Unit
from programmes import services
from programmes.models import Application, Registration
from programmes.tests.setup import VIA, apply, make_call, make_event, score_all
from testsupport.cast import sign_in

pytestmark = pytest.mark.django_db

FORM = {
    "organisation": "Svenska med baby",
    "contact_name": "Ziyoda K",
    "contact_email": "svenska@example.org",
    "title": "Svenska med baby",
    "description": "Träffar för föräldrar och bebisar med språkstöd.",
    "expected_result": "Bruten isolering.",
    "amount_requested": "40000",
    "may_publish": "on",
}


def _other_municipality_manager():
    municipality = Municipality.objects.create(name="Andra kommun", code="9998")
    authority = Authority.objects.create(
        municipality=municipality, name="Andra nämnden", kind="municipal_committee", sector="education"
    )
    unit = Unit.objects.create(authority=authority, name="Andra skolan", unit_type="school")
    user = User.objects.create_user(username="andra_chef", password="x")
    Membership.objects.create(user=user, unit=unit, role=Role.MANAGER, valid_from=timezone.localdate())
    return user


def test_an_association_applies_through_the_public_page_and_its_signed_link(client, cast):
    call = make_call(cast)
    response = client.post(reverse("programmes:apply_outside", args=[call.pk]), FORM)
    assert response.status_code == 302
    link = response["Location"]
    application = Application.objects.get()
    assert application.created_by is None and application.unit is None
    page = client.get(link)
    assert "Svenska med baby" in page.content.decode()
    pdf = SimpleUploadedFile("plan.pdf", b"%PDF-1.4 plan", content_type="application/pdf")
    assert client.post(link, {"step": "attach", "title": "Plan", "file": pdf}).status_code == 302
    assert client.post(link, {"step": "submit"}).status_code == 302
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert application.attachments.count() == 1
    rows = AuditEvent.objects.filter(basis="programme_work", username__contains="Ziyoda")
    assert rows.count() == 3


def test_a_forged_link_opens_nothing(client, cast):
    call = make_call(cast)
    apply(call, submit=False)
    assert client.get(reverse("programmes:application_link", args=["forged:token"])).status_code == 404


def test_the_form_refuses_a_personal_number_and_saves_nothing(client, cast):
    call = make_call(cast)
    number = with_check_digit(cast.child.birth_date, 982)
    response = client.post(reverse("programmes:apply_outside", args=[call.pk]), FORM | {"description": number})
    assert response.status_code == 400
    assert "personnummer" in response.content.decode()
    assert not Application.objects.exists()


def test_a_closed_call_refuses_an_application_with_a_clear_message(client, cast):
    call = make_call(cast)
    call.opens_at = timezone.now() - timedelta(days=20)
    call.closes_at = timezone.now() - timedelta(seconds=1)
    call.save()
    response = client.post(reverse("programmes:apply_outside", args=[call.pk]), FORM)
    assert response.status_code == 400
    assert "Ansökningar tas inte emot efter sista ansökningstid" in response.content.decode()
    assert not Application.objects.exists()


def test_staff_apply_for_their_unit_and_only_they_open_their_draft(client, cast):
    call = make_call(cast)
    sign_in(client, cast.bvc_nurse)
    data = FORM | {"unit": cast.bvc.pk, "organisation": "BVC Centrum"}
    response = client.post(reverse("programmes:apply_staff", args=[call.pk]), data)
    assert response.status_code == 302
    application = Application.objects.get()
    assert (application.unit, application.created_by) == (cast.bvc, cast.bvc_nurse)
    sign_in(client, cast.midwife)
    assert client.get(reverse("programmes:application", args=[application.pk])).status_code == 403


def test_staff_cannot_apply_for_a_unit_they_do_not_work_at(client, cast):
    call = make_call(cast)
    sign_in(client, cast.bvc_nurse)
    response = client.post(reverse("programmes:apply_staff", args=[call.pk]), FORM | {"unit": cast.school.pk})
    assert response.status_code == 400
    assert not Application.objects.exists()


def test_a_conflicted_assessor_is_told_and_cannot_post_scores(client, cast):
    call = make_call(cast)
    application = apply(call, unit=cast.school, created_by=cast.named_person, organisation="Östra skolan")
    sign_in(client, cast.teacher)
    url = reverse("programmes:score", args=[application.pk])
    assert "jävig" in client.get(url).content.decode()
    data = {"step": "score"} | {f"score_{c.pk}": "5" for c in call.criteria.all()}
    response = client.post(url, data)
    assert response.status_code == 400
    assert not application.scores.exists()


def test_two_assessors_score_and_a_manager_ranks_decides_and_the_award_is_published(client, cast):
    call = make_call(cast)
    application = apply(call, organisation="Boo folkets hus")
    for assessor, value in ((cast.teacher, "4"), (cast.social_worker, "5")):
        sign_in(client, assessor)
        data = {"step": "score"} | {f"score_{c.pk}": value for c in call.criteria.all()}
        assert client.post(reverse("programmes:score", args=[application.pk]), data).status_code == 302
    sign_in(client, cast.manager)
    ranking = client.get(reverse("programmes:ranking", args=[call.pk])).content.decode()
    assert "22.50" in ranking or "22,50" in ranking
    decision = {"awarded": "1", "amount": "50000", "motivation": "Meningsfull fritid på helgerna."}
    assert client.post(reverse("programmes:decide", args=[application.pk]), decision).status_code == 302
    public = client.get(reverse("programmes:awarded")).content.decode()
    assert "Meningsfull fritid på helgerna." in public


def test_only_managers_and_administrators_of_the_municipality_rank_and_decide(client, cast):
    call = make_call(cast)
    application = apply(call)
    for user in (cast.teacher, cast.analyst):
        sign_in(client, user)
        assert client.get(reverse("programmes:ranking", args=[call.pk])).status_code == 403
        assert client.get(reverse("programmes:decide", args=[application.pk])).status_code == 403
    sign_in(client, _other_municipality_manager())
    assert client.get(reverse("programmes:ranking", args=[call.pk])).status_code == 404
    assert client.get(reverse("programmes:programme", args=[call.programme_id])).status_code == 404


def test_family_users_and_the_signed_out_have_no_programme_pages(client, cast):
    assert client.get(reverse("programmes:home")).status_code == 302  # to the sign-in page
    sign_in(client, cast.guardian_user)
    assert client.get(reverse("programmes:home")).status_code == 404
    assert client.get(reverse("programmes:events")).status_code == 404


def test_an_unpublished_award_stays_off_the_public_page(client, cast):
    call = make_call(cast)
    application = apply(call, may_publish=False)
    services.decision_make(
        application=application, awarded=True, amount=25000, motivation="Hemlig.", decided_by=cast.manager, via=VIA
    )
    assert "Hemlig." not in client.get(reverse("programmes:awarded")).content.decode()


def test_the_follow_up_is_filed_by_link_and_shown_in_the_table_and_exports(client, cast):
    call = make_call(cast)
    application = apply(call)
    services.decision_make(
        application=application, awarded=True, amount=50000, motivation="Bra.", decided_by=cast.manager, via=VIA
    )
    token = services.application_link_token(application)
    answers = {
        "used_as_applied": "yes",
        "achieved_result": "partly",
        "gained_knowledge": "yes",
        "continues": "yes",
        "money_used": "50000",
        "lessons": "Helgöppet når barn som annars är ensamma.",
    }
    assert client.post(reverse("programmes:follow_up_link", args=[token]), answers).status_code == 302
    sign_in(client, cast.manager)
    table = client.get(reverse("programmes:follow_ups", args=[call.programme_id])).content.decode()
    assert "Delvis" in table
    csv = client.get(reverse("programmes:follow_ups_export", args=[call.programme_id, "csv"]))
    assert "Boo folkets hus" in csv.content.decode("utf-8-sig") and "Delvis" in csv.content.decode("utf-8-sig")
    xlsx = client.get(reverse("programmes:budget_export", args=[call.programme_id, "xlsx"]))
    sheet = load_workbook(filename=BytesIO(xlsx.content)).active
    assert [cell.value for cell in sheet[2]][2:5] == [3_000_000, 50_000, 50_000]
    assert AuditEvent.objects.filter(action="export", basis="programme_work").count() == 2
    sign_in(client, cast.teacher)
    assert client.get(reverse("programmes:follow_ups", args=[call.programme_id])).status_code == 403


def test_a_staff_member_registers_and_evaluates_a_lecture(client, cast):
    event, session = make_event(cast, capacity=1)
    sign_in(client, cast.teacher)
    data = {"profession": "school", "unit": cast.school.pk}
    assert client.post(reverse("programmes:register", args=[session.pk]), data).status_code == 302
    sign_in(client, cast.social_worker)
    data = {"profession": "social_services", "unit": cast.social_team.pk}
    client.post(reverse("programmes:register", args=[session.pk]), data)
    assert Registration.objects.get(user=cast.social_worker).status == Registration.Status.WAITING
    session.starts_at = timezone.now() - timedelta(hours=4)
    session.ends_at = timezone.now() - timedelta(hours=1)
    session.save()
    registration = Registration.objects.get(user=cast.teacher)
    assert client.get(reverse("programmes:evaluate", args=[registration.pk])).status_code == 404  # not hers
    sign_in(client, cast.teacher)
    evaluation = {"rating": "5", "would_recommend": "1", "comment": "Mycket bra."}
    assert client.post(reverse("programmes:evaluate", args=[registration.pk]), evaluation).status_code == 302
    sign_in(client, cast.manager)
    report = client.get(reverse("programmes:event_reports", args=[event.programme_id])).content.decode()
    assert "Skolpersonal" in report and "100 %" in report


def test_the_calendar_feed_lists_sessions(client, cast):
    _event, session = make_event(cast)
    feed = client.get(reverse("programmes:calendar"))
    assert feed["Content-Type"].startswith("text/calendar")
    assert "SUMMARY:Upptäcka och identifiera" in feed.content.decode()
    assert f"session-{session.pk}@samplan".encode() in feed.content


def test_assessors_are_told_when_they_are_not_one(client, cast):
    call = make_call(cast)
    sign_in(client, cast.bvc_nurse)
    assert client.get(reverse("programmes:assess", args=[call.pk])).status_code == 403
    score_all(apply(call), cast.teacher, [1, 1, 1, 1, 1])


def test_attachments_are_sent_to_the_link_holder_and_the_assessors_only(client, cast):
    call = make_call(cast)
    application = apply(call, submit=False)
    pdf = SimpleUploadedFile("Annicas plan.pdf", b"%PDF-1.4 plan", content_type="application/pdf")
    attachment = services.attachment_add(application=application, upload=pdf, title="Plan", via=VIA)
    token = services.application_link_token(application)
    by_link = client.get(reverse("programmes:attachment_link", args=[token, attachment.pk]))
    assert by_link.status_code == 200
    assert by_link["Content-Disposition"].startswith("attachment;")
    assert "Annica" not in by_link["Content-Disposition"]
    sign_in(client, cast.teacher)  # an assessor of the call
    assert client.get(reverse("programmes:attachment", args=[attachment.pk])).status_code == 200
    sign_in(client, cast.midwife)
    assert client.get(reverse("programmes:attachment", args=[attachment.pk])).status_code == 403


def test_a_manager_books_an_event_cost_and_an_over_commitment_is_refused_on_the_page(client, cast):
    event, _session = make_event(cast)
    programme, line = event.programme, event.budget_line
    url = reverse("programmes:budget_book", args=[programme.pk])
    sign_in(client, cast.manager)
    booking = {"line": line.pk, "kind": "committed", "amount": "12000", "description": "Föreläsare", "event": event.pk}
    assert client.post(url, booking).status_code == 302
    used = booking | {"kind": "used"}
    assert client.post(url, used).status_code == 302
    too_much = booking | {"amount": "2990000"}
    refused = client.post(url, too_much)
    assert refused.status_code == 400
    assert "ryms inte i budgeten" in refused.content.decode()
    totals = services.line_totals(line)
    assert (totals.committed, totals.used) == (12000, 12000)
    assert line.entries.filter(event=event).count() == 2
    sign_in(client, cast.teacher)
    assert client.get(url).status_code == 403
