"""The handover summary: written by the outgoing named person, read by the next one only through the policy."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from core.personnummer import with_check_digit
from namedperson.models import Assignment, HandoverProposal, HandoverSummary, Stage
from namedperson.services import handover_accept, handover_propose_for, handover_summary_write
from namedperson.tests.factories import change_school, staff
from organisations.models import Role
from people.models import Enrolment
from sharing import policy
from sharing.models import AccessAssignment, Block, Consent, ConsentCategory
from testsupport.cast import enrol, make_child, sign_in

TODAY = date.today()
TEXT = "Alva trivs i mindre grupper och behöver förberedas inför byten av lärare."
EBBA_TEXT = "Ebba har haft täta kontakter med BVC kring sömn; familjen vill gärna berätta själv."
CANNOT = (
    "Det finns en överlämningssammanfattning, men du kan inte läsa den: det finns inget samtycke från "
    "vårdnadshavarna som omfattar din myndighet."
)


def actor_of(user):
    return policy.actor_for(user, session_key="s")


def write(proposal, user, text):
    return handover_summary_write(proposal=proposal, user=user, text=text, on=TODAY, actor=actor_of(user))


def accept_url(proposal) -> str:
    return reverse("namedperson:accept", args=[proposal.pk])


def summary_url(proposal) -> str:
    return reverse("namedperson:summary", args=[proposal.pk])


def child_url(child) -> str:
    return reverse("people:child", args=[child.pk])


@pytest.fixture
def same(cast):
    """Alva moves from Östra skolan to Västra skolan: both schools of the same committee."""
    change_school(cast)
    handover_propose_for(child_ids=[cast.child.pk], on=TODAY)
    proposal = HandoverProposal.objects.get(child=cast.child, status="open")
    receiver = staff(cast.other_school, Role.HEAD_TEACHER, "mottagare")
    return proposal, receiver


@pytest.fixture
def cross(cast):
    """Ebba starts preschool class: the BVC nurse (the region) hands over to the head teacher (the committee)."""
    born = TODAY.replace(year=TODAY.year - 6) - timedelta(days=30)
    ebba = make_child(cast.municipality, born=born, given="Ebba", family="Ek", serial=990)
    enrol(ebba, cast.bvc, "child_health", born + timedelta(days=11))
    Assignment.objects.create(
        child=ebba,
        person=cast.bvc_nurse,
        unit=cast.bvc,
        role=Role.CHILD_HEALTH_NURSE,
        stage=Stage.CHILD_HEALTH,
        start=born + timedelta(days=11),
        owner_authority=cast.region,
    )
    enrol(ebba, cast.school, "preschool_class", TODAY - timedelta(days=3))
    handover_propose_for(child_ids=[ebba.pk], on=TODAY)
    proposal = HandoverProposal.objects.get(child=ebba, status="open")
    assert (proposal.to_unit, proposal.to_role) == (cast.school, Role.HEAD_TEACHER)
    return proposal


def consent_for(child, cast, *, category="health", recipients=None, **changes) -> Consent:
    now = timezone.now()
    values = {
        "child": child,
        "owner_authority": cast.region,
        "requested_by": cast.bvc_nurse,
        "purpose": "Överlämning till skolan",
        "valid_from": now - timedelta(hours=1),
        "valid_until": now + timedelta(days=30),
        "status": Consent.Status.GIVEN,
        **changes,
    }
    consent = Consent.objects.create(**values)
    consent.recipients.set(recipients if recipients is not None else [cast.education])
    ConsentCategory.objects.create(consent=consent, category=category)
    return consent


def summary_reads(user) -> list[tuple[str, str]]:
    return list(
        AuditEvent.objects.filter(user_id=user.pk, action="read", record_type="HandoverSummary").values_list(
            "basis", "target"
        )
    )


# --- The record: owner, category, refusals ---


def test_it_is_a_record_of_the_writers_authority_in_the_category_of_the_writers_unit(cast, cross):
    summary = write(cross, cast.bvc_nurse, EBBA_TEXT)
    assert (summary.owner_authority, summary.category, summary.child, summary.author_unit) == (
        cast.region,
        "health",
        cross.child,
        cast.bvc,
    )
    assert AuditEvent.objects.filter(
        user_id=cast.bvc_nurse.pk, action="create", record_type="HandoverSummary", record_id=str(summary.pk)
    ).exists()


def test_writing_again_replaces_the_text_of_the_open_handover(cast, same):
    proposal, _receiver = same
    write(proposal, cast.named_person, "Första versionen.")
    summary = write(proposal, cast.named_person, TEXT)
    assert HandoverSummary.objects.get(proposal=proposal).text == TEXT
    assert AuditEvent.objects.filter(action="update", record_type="HandoverSummary", record_id=str(summary.pk)).exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("   ", "Skriv en sammanfattning"),
        ("x" * (HandoverSummary.MAX_LENGTH + 1), "högst"),
        (f"Alva har personnummer {with_check_digit(date(2016, 3, 14), 991)}.", "personnummer"),
    ],
)
def test_bad_text_is_refused_and_changes_nothing(cast, same, text, message):
    proposal, _receiver = same
    write(proposal, cast.named_person, TEXT)
    with pytest.raises(ValidationError) as refused:
        write(proposal, cast.named_person, text)
    assert message in " ".join(refused.value.messages)
    assert HandoverSummary.objects.get(proposal=proposal).text == TEXT


def test_only_the_outgoing_named_person_may_write(cast, same):
    proposal, receiver = same
    for user in (receiver, cast.teacher, cast.manager):
        with pytest.raises(PermissionDenied):
            write(proposal, user, TEXT)
    assert not HandoverSummary.objects.exists()


def test_a_decided_handover_takes_no_summary(cast, same):
    proposal, receiver = same
    handover_accept(proposal=proposal, user=receiver, on=TODAY)
    with pytest.raises(ValidationError):
        write(proposal, cast.named_person, TEXT)
    assert not HandoverSummary.objects.exists()


# --- Reading on the accept page ---


def test_the_receiver_in_the_same_authority_reads_it_and_the_read_is_logged(client, cast, same):
    proposal, receiver = same
    write(proposal, cast.named_person, TEXT)
    sign_in(client, receiver)
    body = client.get(accept_url(proposal)).content.decode()
    assert TEXT in body
    assert CANNOT not in body
    assert summary_reads(receiver) == [(policy.Basis.OWN_RECORD, "namedperson:accept")]


def test_a_receiver_at_another_authority_without_consent_is_told_it_cannot_read_it(client, cast, cross):
    write(cross, cast.bvc_nurse, EBBA_TEXT)
    sign_in(client, cast.named_person)
    body = client.get(accept_url(cross)).content.decode()
    assert CANNOT in body
    assert EBBA_TEXT not in body
    assert "Maria Sköterska" in body  # whom to ask: the outgoing named person can ask the family for consent
    assert summary_reads(cast.named_person) == []


def test_a_consent_in_force_covering_the_category_makes_it_readable_and_the_read_names_it(client, cast, cross):
    write(cross, cast.bvc_nurse, EBBA_TEXT)
    consent = consent_for(cross.child, cast)
    sign_in(client, cast.named_person)
    body = client.get(accept_url(cross)).content.decode()
    assert EBBA_TEXT in body
    assert CANNOT not in body
    assert summary_reads(cast.named_person) == [(f"consent:{consent.pk}", "namedperson:accept")]


@pytest.mark.parametrize(
    "change",
    [
        {"status": Consent.Status.WITHDRAWN},
        {"valid_until": timezone.now() - timedelta(minutes=1)},  # expired; no scheduled task has run
    ],
    ids=["withdrawn", "expired"],
)
def test_withdrawal_or_expiry_hides_it_at_once(client, cast, cross, change):
    write(cross, cast.bvc_nurse, EBBA_TEXT)
    consent = consent_for(cross.child, cast)
    sign_in(client, cast.named_person)
    assert EBBA_TEXT in client.get(accept_url(cross)).content.decode()
    Consent.objects.filter(pk=consent.pk).update(**change)
    body = client.get(accept_url(cross)).content.decode()
    assert EBBA_TEXT not in body
    assert CANNOT in body


@pytest.mark.parametrize(
    "scope",
    [{"category": "education"}, {"recipients": []}],
    ids=["another category", "another recipient"],
)
def test_a_consent_that_does_not_cover_it_opens_nothing(client, cast, cross, scope):
    write(cross, cast.bvc_nurse, EBBA_TEXT)
    consent_for(cross.child, cast, **({"recipients": [cast.social]} if "recipients" in scope else scope))
    sign_in(client, cast.named_person)
    body = client.get(accept_url(cross)).content.decode()
    assert EBBA_TEXT not in body
    assert CANNOT in body


def test_a_block_closes_it_to_the_receiver_and_the_writer_is_told_so(client, cast, cross):
    write(cross, cast.bvc_nurse, EBBA_TEXT)
    consent_for(cross.child, cast)
    Block.objects.create(
        child=cross.child,
        owner_authority=cast.region,
        category="health",
        ground=Block.Ground.LAW,
        reason="Sekretess till skydd för barnet.",
        created_by=cast.bvc_nurse,
    )
    sign_in(client, cast.named_person)
    body = client.get(accept_url(cross)).content.decode()
    assert EBBA_TEXT not in body
    assert CANNOT in body  # the same words as without consent: the block itself is the region's information
    assert "spärr" not in body.lower()
    sign_in(client, cast.bvc_nurse)
    assert "Mottagaren kan inte läsa sammanfattningen" in client.get(summary_url(cross)).content.decode()


def test_a_protected_childs_summary_does_not_name_the_writer_to_the_receiver(client, cast):
    Enrolment.objects.filter(child=cast.protected_child, unit=cast.school).update(end=TODAY - timedelta(days=4))
    enrol(cast.protected_child, cast.other_school, "school", TODAY - timedelta(days=3))
    handover_propose_for(child_ids=[cast.protected_child.pk], on=TODAY)
    proposal = HandoverProposal.objects.get(child=cast.protected_child, status="open")
    receiver = staff(cast.other_school, Role.HEAD_TEACHER, "mottagare")
    write(proposal, cast.named_person, TEXT)
    sign_in(client, receiver)
    body = client.get(accept_url(proposal)).content.decode()
    assert TEXT in body
    assert "Skriven av barnets tidigare namngivna person" in body
    assert "Rektorsson" not in body
    assert "Östra skolan" not in body


def test_without_a_summary_the_accept_page_says_none_was_written(client, cast, same):
    proposal, receiver = same
    sign_in(client, receiver)
    body = client.get(accept_url(proposal)).content.decode()
    assert "har inte skrivit någon överlämningssammanfattning" in body


# --- Afterwards: the child page ---


def test_after_acceptance_the_new_named_person_reads_it_on_the_child_page(client, cast, same):
    proposal, receiver = same
    write(proposal, cast.named_person, TEXT)
    handover_accept(proposal=proposal, user=receiver, on=TODAY)
    sign_in(client, receiver)
    body = client.get(child_url(cast.child)).content.decode()
    assert TEXT in body
    assert summary_reads(receiver) == [(policy.Basis.OWN_RECORD, "people:child")]


def test_after_acceptance_without_consent_the_child_page_says_it_cannot_be_read(client, cast, cross):
    write(cross, cast.bvc_nurse, EBBA_TEXT)
    handover_accept(proposal=cross, user=cast.named_person, on=TODAY)
    sign_in(client, cast.named_person)
    body = client.get(child_url(cross.child)).content.decode()
    assert CANNOT in body
    assert EBBA_TEXT not in body
    consent = consent_for(cross.child, cast)
    body = client.get(child_url(cross.child)).content.decode()
    assert EBBA_TEXT in body
    assert (f"consent:{consent.pk}", "people:child") in summary_reads(cast.named_person)


@pytest.mark.parametrize("with_consent", [False, True])
def test_a_user_of_an_unrelated_authority_never_sees_it_nor_that_it_exists(client, cast, cross, with_consent):
    write(cross, cast.bvc_nurse, EBBA_TEXT)
    if with_consent:
        consent_for(cross.child, cast)  # opens health records to the committee, not to social services
    AccessAssignment.objects.create(
        child=cross.child,
        user=cast.social_worker,
        reason="Förhandsbedömning",
        valid_from=TODAY,
        valid_to=TODAY + timedelta(days=10),
        granted_by=cast.manager,
    )
    sign_in(client, cast.social_worker)
    body = client.get(child_url(cross.child)).content.decode()
    assert EBBA_TEXT not in body
    assert "överlämningssammanfattning" not in body.lower()
    sign_in(client, cast.outsider)
    assert client.get(child_url(cross.child)).status_code == 404
    assert summary_reads(cast.social_worker) == summary_reads(cast.outsider) == []


# --- The writer's form ---


def test_the_form_tells_the_writer_a_receiver_in_the_same_authority_can_read_it(client, cast, same):
    proposal, _receiver = same
    sign_in(client, cast.named_person)
    body = client.get(summary_url(proposal)).content.decode()
    assert "Mottagaren kan läsa sammanfattningen" in body
    assert "samma myndighet" in body


def test_the_form_warns_the_writer_and_offers_to_ask_for_consent(client, cast, cross):
    sign_in(client, cast.bvc_nurse)
    body = client.get(summary_url(cross)).content.decode()
    assert "Mottagaren kan inte läsa sammanfattningen" in body
    assert reverse("sharing:consent_new", args=[cross.child.pk]) in body
    assert "Barn- och utbildningsnämnden" in body
    consent_for(cross.child, cast)
    body = client.get(summary_url(cross)).content.decode()
    assert "Mottagaren kan läsa sammanfattningen" in body
    assert "samtycke" in body


def test_the_form_saves_and_returns_to_the_handovers(client, cast, same):
    proposal, _receiver = same
    sign_in(client, cast.named_person)
    response = client.post(summary_url(proposal), {"text": TEXT})
    assert response.status_code == 302
    assert HandoverSummary.objects.get(proposal=proposal).text == TEXT
    assert "Ändra sammanfattning" in client.get(reverse("namedperson:handovers")).content.decode()


@pytest.mark.parametrize(
    ("text", "message"),
    [("", "Skriv en sammanfattning"), ("x" * (HandoverSummary.MAX_LENGTH + 1), "högst")],
)
def test_the_form_refuses_bad_text_with_a_swedish_message(client, cast, same, text, message):
    proposal, _receiver = same
    sign_in(client, cast.named_person)
    response = client.post(summary_url(proposal), {"text": text})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not HandoverSummary.objects.exists()


@pytest.mark.parametrize("persona", ["teacher", "bvc_nurse", "outsider"])
def test_the_form_is_404_to_anyone_but_the_outgoing_named_person(client, cast, same, persona):
    proposal, _receiver = same
    sign_in(client, getattr(cast, persona))
    assert client.get(summary_url(proposal)).status_code == 404
    assert client.post(summary_url(proposal), {"text": TEXT}).status_code == 404
    assert not HandoverSummary.objects.exists()
