"""The duty to report is asked before any plan or consent request, and a suspicion leads to the report first."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import reverse

from accounts.services import api_token_create
from audit.models import AuditEvent
from plans.models import ChildPlan
from sharing import policy
from sharing.models import Consent, ReportOfConcern
from testsupport.cast import enrol, sign_in
from wellbeing.models import FiveQuestions
from wellbeing.tests.helpers import write
from wellbeing.tests.plan_urls import WITH_PLANS

ANSWERS = {
    "in_the_way": "Hon vill inte gå hem efter skolan.",
    "information": "Nej, jag vet inte hur det är hemma.",
    "i_can_do": "Lyssna på henne och skriva ner hennes ord.",
    "agency_can_do": "Elevhälsan kan träffa henne.",
    "others_needed": "Socialtjänsten",
    "outcome": "needs_others",
}


def _url(cast, concern) -> str:
    return reverse("wellbeing:five_questions", kwargs={"child_id": cast.child.pk, "entry_id": concern.pk})


def _answer(client, cast, suspects_harm: str):
    concern = write(cast.teacher, cast.child, what_happened="Alva säger att hon inte vill gå hem.")
    sign_in(client, cast.teacher)
    with override_settings(ROOT_URLCONF=WITH_PLANS):
        return client.post(_url(cast, concern), {**ANSWERS, "suspects_harm": suspects_harm}, follow=False)


def _report(cast) -> ReportOfConcern:
    return ReportOfConcern.objects.create(
        child=cast.child,
        owner_authority=cast.social,
        to_unit=cast.social_team,
        reporter=cast.teacher,
        reporter_authority=cast.education,
        what_happened="Alva vill inte gå hem.",
        guardians_informed=True,
    )


def test_the_question_is_asked_with_the_law_in_force(client, cast):
    concern = write(cast.teacher, cast.child)
    sign_in(client, cast.teacher)
    body = client.get(_url(cast, concern)).content.decode()
    assert "Finns det anledning att misstänka att barnet far illa?" in body
    assert "SoL (2025:400)" in body  # cited from the versioned legal reference in force today


def test_it_is_required_and_nothing_is_saved_without_it(client, cast):
    concern = write(cast.teacher, cast.child)
    sign_in(client, cast.teacher)
    response = client.post(_url(cast, concern), ANSWERS)
    assert response.status_code == 400
    assert "Svara på om det finns anledning att misstänka att barnet far illa" in response.content.decode()
    assert not FiveQuestions.objects.exists()


def test_yes_leads_to_the_report_of_concern_and_not_to_the_plan_or_consent(client, cast):
    response = _answer(client, cast, "yes")
    assert response.status_code == 302
    assert response.url == reverse("sharing:report_new", kwargs={"child_id": cast.child.pk})
    five = FiveQuestions.objects.get()
    assert five.suspects_harm == "yes"
    row = AuditEvent.objects.get(action="create", record_type="FiveQuestions", record_id=str(five.pk))
    assert row.reason == "Anledning att misstänka att barnet far illa: Ja"
    page = client.get(response.url)
    body = page.content.decode()
    assert "Gör en orosanmälan till socialtjänsten nu" in body
    assert "samtycke behövs inte" in body
    assert not Consent.objects.exists() and not ChildPlan.objects.exists()


def test_unsure_is_guided_and_then_led_to_the_report(client, cast):
    response = _answer(client, cast, "unsure")
    assert response.url == reverse("sharing:report_new", kwargs={"child_id": cast.child.pk})
    body = client.get(response.url).content.decode()
    assert "Anmälningsskyldigheten gäller redan vid misstanke" in body


def test_no_leads_to_the_plan_as_before(client, cast):
    response = _answer(client, cast, "no")
    assert response.url == f"/planer/{cast.child.pk}/starta/"


def test_the_answer_is_shown_on_the_concern(client, cast):
    _answer(client, cast, "yes")
    five = FiveQuestions.objects.get()
    entry = reverse("wellbeing:entry", kwargs={"child_id": cast.child.pk, "entry_id": five.entry_id})
    body = client.get(entry).content.decode()
    assert "Finns det anledning att misstänka att barnet far illa?" in body


@pytest.mark.parametrize("page", ["plans:start", "sharing:consent_new"])
def test_plan_and_consent_pages_refuse_until_the_report_is_made(client, cast, page):
    _answer(client, cast, "yes")
    url = reverse(page, kwargs={"child_id": cast.child.pk})
    shown = client.get(url)
    body = shown.content.decode()
    assert shown.status_code == 200
    assert "Gör orosanmälan först" in body
    assert reverse("sharing:report_new", kwargs={"child_id": cast.child.pk}) in body
    refused = client.post(url, {"kind": "single_agency", "reasons": "Stöd", "purpose": "Plan"})
    assert refused.status_code == 409
    assert not ChildPlan.objects.exists() and not Consent.objects.exists()
    # A colleague at the same school makes the report: the plan and the consent request may go ahead.
    _report(cast)
    again = client.get(url)
    assert again.status_code == 200 and "Gör orosanmälan först" not in again.content.decode()


@pytest.mark.parametrize("answer", ["no", "unsure"])
def test_plan_and_consent_pages_are_open_without_a_suspicion_on_record(client, cast, answer):
    _answer(client, cast, answer)
    for page in ("plans:start", "sharing:consent_new"):
        response = client.get(reverse(page, kwargs={"child_id": cast.child.pk}))
        assert "Gör orosanmälan först" not in response.content.decode(), page


def test_another_authoritys_suspicion_does_not_block_the_region(client, cast):
    _answer(client, cast, "yes")
    enrol(cast.child, cast.bvc, "child_health", policy.today())
    sign_in(client, cast.bvc_nurse)
    body = client.get(reverse("plans:start", kwargs={"child_id": cast.child.pk})).content.decode()
    assert "Gör orosanmälan först" not in body  # each authority answers for its own duty to report


def test_the_api_refuses_a_plan_or_consent_request_until_the_report_is_made(client, cast):
    _answer(client, cast, "yes")
    _token, raw = api_token_create(user=cast.teacher, name="Test", days=1)
    headers = {"Authorization": f"Bearer {raw}"}
    plan = client.post(
        reverse("api:child_plan", kwargs={"child_id": cast.child.pk}),
        {"kind": "single_agency", "reasons": "Stöd hemma"},
        content_type="application/json",
        headers=headers,
    )
    consent = client.post(
        reverse("api:child_consents", kwargs={"child_id": cast.child.pk}),
        {"purpose": "Plan", "categories": ["education"], "recipient_ids": [cast.social.pk]},
        content_type="application/json",
        headers=headers,
    )
    for response in (plan, consent):
        assert response.status_code == 409
        assert "Gör orosanmälan till socialtjänsten först" in response.json()["detail"]
    assert not ChildPlan.objects.exists() and not Consent.objects.exists()
