"""The child's plan in the family view: who sees it, what it shows and leaves out, and each guardian's own answer."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from audit.models import AuditEvent
from core.personnummer import with_check_digit
from people.models import Guardian, Guardianship, Protection
from plans import services
from plans.models import PlanAgreement, PlanVersion, Status
from plans.tests.setup import add_action, answer, send, start, via
from testsupport.cast import PASSWORD, sign_in


def plan_url(child) -> str:
    return reverse("family:plan", args=[child.pk])


def answer_url(child) -> str:
    return reverse("family:plan_answer", args=[child.pk])


@pytest.fixture
def plan(cast):
    """A multi-agency plan led by the head teacher, with needs, an action and words about risk."""
    plan = start(cast)
    add_action(cast, plan, description="Samtal med kuratorn varje vecka")
    services.need_set(plan=plan, indicator="achieving", summary="Stöd i matematik", via=via(cast.named_person))
    services.plan_update(
        plan=plan,
        version=plan.version,
        values={
            "harmful_behaviour": "HEMLIG riskbeskrivning",
            "risk_triggers": "HEMLIG utlösare",
            "contingency": "HEMLIG beredskap",
            "review_arrangements": "Möte med familjen i skolan.",
        },
        user=cast.named_person,
        via=via(cast.named_person),
    )
    cast.named_person.phone = "08-123 45 67"
    cast.named_person.save(update_fields=["phone"])
    plan.refresh_from_db()
    return plan


@pytest.fixture
def sent(cast, plan):
    send(cast, plan)
    return plan


def test_a_guardian_reads_the_plan_in_plain_words_and_the_read_is_logged(client, cast, plan):
    sign_in(client, cast.guardian_user)
    response = client.get(plan_url(cast.child))
    body = response.content.decode()
    assert response.status_code == 200 and body.count("<h1") == 1
    for text in (
        "Alva är ofta borta från skolan",
        "Stöd i matematik",
        "Samtal med kuratorn varje vecka",
        "Barn- och utbildningsnämnden",
        "Alva är i skolan oftare.",
        "Möte med familjen i skolan.",
        "Hanna Rektorsson",
        "08-123 45 67",
        "Östra skolan",
        "Planen är ett förslag",
    ):
        assert text in body, text
    assert "no-store" in response["Cache-Control"]
    event = AuditEvent.objects.get(target="family:plan", record_type="ChildPlan")
    assert (event.basis, event.record_id, event.action) == ("guardian", str(plan.pk), "read")
    assert AuditEvent.objects.filter(target="family:plan", record_type="Child").exists()


def test_the_family_page_leaves_out_the_risk_assessment(client, cast, plan):
    sign_in(client, cast.guardian_user)
    body = client.get(plan_url(cast.child)).content.decode()
    assert "HEMLIG" not in body
    assert "risknivå" not in body.lower()


def test_guardians_are_never_named_to_each_other(client, cast, sent):
    cast.co_guardian.protection = Protection.PROTECTED_REGISTRATION
    cast.co_guardian.save()
    answer(cast.co_guardian, sent, note="Skrivet på Lillgatan")
    sign_in(client, cast.guardian_user)
    body = client.get(plan_url(cast.child)).content.decode()
    assert "Du (vårdnadshavare)" in body and "En vårdnadshavare" in body
    for secret in ("Johan", "Lillgatan", cast.co_guardian.identity_number):
        assert secret not in body
    assert "1 annan vårdnadshavare har svarat" in body


def test_a_guardian_answers_for_themselves_and_the_plan_is_agreed_when_both_have(client, cast, sent):
    sign_in(client, cast.guardian_user)
    page = client.get(plan_url(cast.child)).content.decode()
    assert "Planen väntar på ditt svar" in page and answer_url(cast.child) in page
    form = client.get(answer_url(cast.child)).content.decode()
    assert "påverkar inte annat stöd" in form and "Du svarar bara för dig själv" in form
    response = client.post(answer_url(cast.child), {"answer": "agrees", "note": "Bra plan."})
    assert response.status_code == 302
    mine = PlanAgreement.objects.get()
    assert (mine.guardian, mine.method, mine.answer, mine.note) == (
        cast.guardian,
        PlanAgreement.Method.FAMILY_VIEW,
        "agrees",
        "Bra plan.",
    )
    assert AuditEvent.objects.filter(target="family:plan_answer", record_type="PlanAgreement", action="create").exists()
    sent.refresh_from_db()
    assert sent.status == Status.DRAFT
    after = client.get(plan_url(cast.child)).content.decode()
    assert "Du svarade" in after and "1 annan vårdnadshavare har inte svarat ännu" in after
    client.logout()
    sign_in(client, cast.co_guardian_user)
    done = client.post(answer_url(cast.child), {"answer": "agrees"}, follow=True)
    assert "Alla vårdnadshavare har nu instämt, och planen gäller." in done.content.decode()
    sent.refresh_from_db()
    assert sent.status == Status.AGREED
    assert PlanVersion.objects.get().agreed_at is not None


def test_a_guardian_cannot_answer_for_the_other_guardian(client, cast, sent):
    sign_in(client, cast.guardian_user)
    other = sent.participants.get(guardian=cast.co_guardian)
    client.post(
        answer_url(cast.child),
        {"answer": "agrees", "guardian": cast.co_guardian.pk, "participant": other.pk, f"answer_{other.pk}": "agrees"},
    )
    assert list(PlanAgreement.objects.values_list("guardian", flat=True)) == [cast.guardian.pk]
    second = client.post(answer_url(cast.child), {"answer": "disagrees"})
    assert second.status_code == 400
    assert "Du har redan svarat" in second.content.decode()
    assert PlanAgreement.objects.count() == 1
    sent.refresh_from_db()
    assert sent.status == Status.DRAFT


def test_saying_no_is_an_ordinary_answer(client, cast, sent):
    sign_in(client, cast.co_guardian_user)
    response = client.post(answer_url(cast.child), {"answer": "disagrees", "note": "Vi vill vänta."}, follow=True)
    body = response.content.decode()
    assert "Ditt svar påverkar inte annat stöd" in body
    assert 'data-color="warning"' not in body and "danger" not in body
    sent.refresh_from_db()
    assert sent.status == Status.DRAFT
    assert PlanAgreement.objects.get().answer == "disagrees"


def test_an_answer_needs_a_choice(client, cast, sent):
    sign_in(client, cast.guardian_user)
    response = client.post(answer_url(cast.child), {"note": "Hmm"})
    assert response.status_code == 400
    assert "Välj om du instämmer i planen eller inte." in response.content.decode()
    assert not PlanAgreement.objects.exists()


def test_a_plan_changed_after_it_was_sent_waits_to_be_sent_again(client, cast, sent):
    add_action(cast, sent, description="Läxhjälp")
    sign_in(client, cast.guardian_user)
    assert "ändrats sedan den skickades" in client.get(plan_url(cast.child)).content.decode()
    response = client.post(answer_url(cast.child), {"answer": "agrees"})
    assert response.status_code == 400
    assert not PlanAgreement.objects.exists()


def test_nothing_to_answer_when_nothing_was_sent(client, cast, plan):
    sign_in(client, cast.guardian_user)
    assert client.get(answer_url(cast.child)).status_code == 404
    assert client.post(answer_url(cast.child), {"answer": "agrees"}).status_code == 404


def test_no_plan_is_said_plainly(client, cast):
    sign_in(client, cast.guardian_user)
    body = client.get(plan_url(cast.child)).content.decode()
    assert "Barnet har ingen plan just nu." in body
    assert client.get(answer_url(cast.child)).status_code == 404


def test_a_parent_without_custody_sees_no_plan_and_leaves_no_trace(client, cast, sent):
    sign_in(client, cast.noncustodial_user)
    assert client.get(plan_url(cast.child)).status_code == 404
    assert client.get(answer_url(cast.child)).status_code == 404
    assert client.post(answer_url(cast.child), {"answer": "disagrees"}).status_code == 404
    assert not PlanAgreement.objects.exists()
    assert not AuditEvent.objects.filter(target__startswith="family:").exists()


def test_a_guardian_of_another_child_gets_404(client, cast, sent):
    user = get_user_model().objects.create_user(username="annan", password=PASSWORD)
    other = Guardian.objects.create(
        identity_number=with_check_digit(date(1979, 4, 4), 991), given_name="Ulla", family_name="Skydd", user=user
    )
    Guardianship.objects.create(
        child=cast.protected_child, guardian=other, relation="parent", valid_from=cast.protected_child.birth_date
    )
    sign_in(client, user)
    assert client.get(plan_url(cast.protected_child)).status_code == 200  # their own child: no plan
    assert client.get(plan_url(cast.child)).status_code == 404
    assert client.post(answer_url(cast.child), {"answer": "agrees"}).status_code == 404
    assert not PlanAgreement.objects.exists()


@pytest.mark.parametrize("persona", ["named_person", "teacher", "social_worker"])
def test_staff_cannot_use_the_family_pages(client, cast, sent, persona):
    sign_in(client, getattr(cast, persona))
    assert client.get(plan_url(cast.child)).status_code == 404
    assert client.post(answer_url(cast.child), {"answer": "agrees"}).status_code == 404
    assert not PlanAgreement.objects.exists()


def test_a_guardian_outside_the_plan_reads_it_but_does_not_answer(client, cast, sent):
    services.participant_remove(participant=sent.participants.get(guardian=cast.co_guardian), via=via(cast.teacher))
    sign_in(client, cast.co_guardian_user)
    body = client.get(plan_url(cast.child)).content.decode()
    assert "Du är inte med som deltagare" in body
    assert client.post(answer_url(cast.child), {"answer": "agrees"}).status_code == 404


def test_the_child_from_the_login_age_reads_its_plan_but_does_not_answer(client, cast, child_login):
    tove = child_login(14)
    plan = services.plan_start(
        child=tove, user=cast.teacher, kind="single_agency", reasons="Tove vill ha stöd.", via=via(cast.teacher)
    )
    add_action(cast, plan)
    sign_in(client, tove.user)
    body = client.get(plan_url(tove)).content.decode()
    assert "Din plan" in body and "Tove vill ha stöd." in body
    assert AuditEvent.objects.filter(target="family:plan", basis="child_self", record_type="ChildPlan").exists()
    assert client.get(answer_url(tove)).status_code == 404
    assert client.get(plan_url(cast.child)).status_code == 404


def test_the_childs_page_links_to_the_plan(client, cast):
    sign_in(client, cast.guardian_user)
    body = client.get(reverse("family:child", args=[cast.child.pk])).content.decode()
    assert plan_url(cast.child) in body
