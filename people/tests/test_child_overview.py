"""The child overview page: who may see it, what is masked, what is logged, and its fixed query count."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit import log as audit
from audit.models import AuditEvent
from namedperson.models import Assignment, EndReason, Stage
from organisations.models import Role
from people.models import ContactDetails, Guardian, Guardianship, Protection, SiblingLink
from testsupport.cast import assessed_user, enrol, make_child, sign_in

TODAY = date.today()
START = TODAY - timedelta(days=400)
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
    return reverse("people:child", kwargs={"child_id": child.pk})


@pytest.fixture
def page(client, cast):
    def get(user, child=None):
        sign_in(client, user)
        return client.get(url(child or cast.child))

    return get


def formatted(child) -> str:
    return f"{child.identity_number[:8]}-{child.identity_number[8:]}"


def add_bvc_history(cast, child) -> None:
    """Give the child an earlier named person at the BVC (another authority), ended when school began."""
    Assignment.objects.create(
        child=child,
        person=cast.bvc_nurse,
        unit=cast.bvc,
        role=Role.CHILD_HEALTH_NURSE,
        stage=Stage.CHILD_HEALTH,
        start=child.birth_date + timedelta(days=11),
        end=START,
        ended_reason=EndReason.HANDOVER,
        owner_authority=cast.region,
    )


@pytest.mark.parametrize("persona", SEEING)
def test_it_shows_the_child_to_staff_with_a_relation(page, cast, persona):
    response = page(getattr(cast, persona))
    body = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Alva Andersson</h1>" in body
    assert body.count("<h1") == 1
    assert formatted(cast.child) in body
    assert "Petra Andersson" in body


@pytest.mark.parametrize("persona", NOT_SEEING)
def test_it_answers_404_without_the_childs_data_to_everyone_else(page, cast, persona):
    response = page(getattr(cast, persona))
    body = response.content.decode()
    assert response.status_code == 404
    for secret in ("Alva", "Andersson", cast.child.identity_number, formatted(cast.child), "Storgatan"):
        assert secret not in body
    assert not AuditEvent.objects.filter(child_id=cast.child.pk).exists()


def test_it_answers_404_for_a_child_that_does_not_exist(client, cast):
    sign_in(client, cast.teacher)
    response = client.get("/barn/00000000-0000-4000-8000-000000000000/")
    assert response.status_code == 404


def test_it_sends_anonymous_visitors_to_the_login_page(client, cast):
    response = client.get(url(cast.child))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_it_is_never_cached(page, cast):
    response = page(cast.teacher)
    assert "no-store" in response["Cache-Control"]


def test_it_writes_an_audit_row_for_each_read(page, cast):
    page(cast.teacher)
    page(cast.teacher)
    rows = AuditEvent.objects.filter(child_id=cast.child.pk, target="people:child", user_id=cast.teacher.pk)
    assert rows.count() == 2
    row = rows.first()
    assert (row.action, row.surface, row.basis, row.record_id) == ("read", "page", "enrolment", str(cast.child.pk))
    assert row.unit_name == "Östra skolan"


def test_it_shows_contact_details_of_an_unprotected_child(page, cast):
    body = page(cast.teacher).content.decode()
    assert "Storgatan 5" in body
    assert "Testköping" in body


def test_it_masks_a_protected_child_for_the_teacher(page, cast):
    child = cast.protected_child
    add_bvc_history(cast, child)
    response = page(cast.teacher, child)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Skyddade personuppgifter" in body
    assert f"{child.identity_number[:8]}-XXXX" in body
    for secret in (
        "Hemliga vägen",
        "99999",
        child.identity_number,
        formatted(child),
        child.identity_number[2:],
        "BVC Centrum",
        "Maria Sköterska",
    ):
        assert secret not in body, secret
    assert "Skyddad enhet" not in body  # one wording for whatever is masked: "Skyddade personuppgifter"
    # The teacher's own school and the current named person there are the teacher's to know.
    assert "Östra skolan" in body
    assert "Hanna Rektorsson" in body


def test_it_shows_a_protected_child_in_full_only_with_a_secrecy_assessment(page, cast):
    child = cast.protected_child
    add_bvc_history(cast, child)
    body = page(assessed_user(cast, child), child).content.decode()
    assert "Skyddade personuppgifter" in body
    assert "Hemliga vägen 1" in body
    assert formatted(child) in body
    assert "BVC Centrum" in body
    assert "Maria Sköterska" in body


def test_it_shows_the_named_person_the_child_but_not_where_it_lives(page, cast):
    # The named person knows the child (number, own school) but, without an assessment, not its address
    # or the units it went to before (this page showed both: the defect of issue 8).
    child = cast.protected_child
    add_bvc_history(cast, child)
    body = page(cast.named_person, child).content.decode()
    assert formatted(child) in body
    assert "Östra skolan" in body
    for secret in ("Hemliga vägen", "99999", "BVC Centrum", "Maria Sköterska"):
        assert secret not in body, secret


def test_it_shows_other_authorities_enrolments_to_nobody(page, cast):
    body = page(cast.named_person).content.decode()
    assert "Östra skolan" in body
    assert "Listad på BVC" not in body  # the BVC listing is the region's record


def test_it_hides_the_contact_details_of_a_protected_guardian(page, cast):
    ContactDetails.objects.create(guardian=cast.guardian, address="Föräldravägen 2", postal_code="11111", city="Ort")
    assert "Föräldravägen 2" in page(cast.teacher).content.decode()
    cast.guardian.protection = Protection.CONFIDENTIALITY_MARKING
    cast.guardian.save()
    body = page(cast.teacher).content.decode()
    assert "Föräldravägen 2" not in body
    assert "vårdnadshavaren har skyddade personuppgifter" in body


def test_it_hides_guardian_contact_details_of_a_protected_child_from_the_teacher(page, cast):
    guardian = Guardian.objects.create(identity_number="198001019802", given_name="Gun", family_name="Skyddad")
    Guardianship.objects.create(
        child=cast.protected_child, guardian=guardian, relation="parent", valid_from=cast.protected_child.birth_date
    )
    ContactDetails.objects.create(guardian=guardian, address="Gömda gatan 3", postal_code="22222", city="Ort")
    assert "Gömda gatan 3" not in page(cast.teacher, cast.protected_child).content.decode()
    assert "Gömda gatan 3" not in page(cast.named_person, cast.protected_child).content.decode()
    assert "Gömda gatan 3" in page(assessed_user(cast, cast.protected_child), cast.protected_child).content.decode()


def test_it_lists_only_the_siblings_the_user_may_see(page, cast):
    sister = make_child(cast.municipality, born=TODAY - timedelta(days=365 * 7), given="Saga", family="Andersson")
    enrol(sister, cast.school, "school", START)
    brother = make_child(cast.municipality, born=TODAY - timedelta(days=365 * 8), given="Sixten", family="Andersson")
    enrol(brother, cast.other_school, "school", START)
    for sibling in (sister, brother):
        Guardianship.objects.create(
            child=sibling, guardian=cast.guardian, relation="parent", valid_from=sibling.birth_date
        )
    linked = make_child(cast.municipality, born=TODAY - timedelta(days=365 * 5), given="Lo", family="Halvsyster")
    enrol(linked, cast.school, "school", START)
    SiblingLink.objects.create(child=linked, sibling=cast.child)
    body = page(cast.teacher).content.decode()
    assert "Andersson, Saga" in body
    assert "Halvsyster, Lo" in body
    assert "Sixten" not in body
    assert "Barnet kan ha fler syskon" in body
    logged = AuditEvent.objects.filter(target="people:child", user_id=cast.teacher.pk).values_list(
        "child_id", flat=True
    )
    assert set(logged) == {cast.child.pk, sister.pk, linked.pk}


def test_it_shows_the_named_person_now_and_before(page, cast):
    add_bvc_history(cast, cast.child)
    body = page(cast.teacher).content.decode()
    assert "Hanna Rektorsson" in body
    assert "Maria Sköterska" in body  # unprotected child: the history is open to every relation
    assert "Överlämnad till ny namngiven person" in body


def test_it_shows_who_has_read_the_record_to_the_named_person(page, cast):
    page(cast.teacher)
    response = page(cast.named_person)
    body = response.content.decode()
    assert "Vem har läst uppgifterna" in body
    assert cast.teacher.get_full_name() in body
    assert reverse("audit:child_log", kwargs={"child_id": cast.child.pk}) in body


def test_it_keeps_the_access_log_from_a_practitioner(page, cast):
    page(cast.named_person)
    body = page(cast.teacher).content.decode()
    assert reverse("audit:child_log", kwargs={"child_id": cast.child.pk}) not in body
    assert "named_person" not in body


def _grow_history(cast, child, *, count: int) -> None:
    """Add many enrolments, named-person periods and audit rows to the child's history."""
    for index in range(count):
        start = child.birth_date + timedelta(days=index * 10)
        enrol(child, cast.school, "school", start, start + timedelta(days=5))
        Assignment.objects.create(
            child=child,
            person=cast.bvc_nurse,
            unit=cast.bvc,
            role=Role.CHILD_HEALTH_NURSE,
            stage=Stage.CHILD_HEALTH,
            start=start,
            end=start + timedelta(days=5),
            ended_reason=EndReason.OTHER,
            owner_authority=cast.region,
        )
    actor = audit.Actor(user_id=cast.teacher.pk, username="teacher", unit_name="Östra skolan")
    with audit.deferred():
        for index in range(count):
            audit.record(
                actor=actor, action="read", surface="page", target=f"test:{index}", basis="enrolment", child_id=child.pk
            )


@pytest.mark.parametrize(("persona", "child_name"), [("named_person", "child"), ("teacher", "protected_child")])
def test_it_runs_a_fixed_number_of_queries_however_long_the_history(
    client, cast, django_assert_num_queries, persona, child_name
):
    user, child = getattr(cast, persona), getattr(cast, child_name)
    sign_in(client, user)
    client.get(url(child))  # warm caches that are filled once per process
    with CaptureQueriesContext(connection) as short:
        assert client.get(url(child)).status_code == 200
    _grow_history(cast, child, count=40)
    with django_assert_num_queries(len(short.captured_queries)):
        response = client.get(url(child))
    assert response.status_code == 200
    assert response.content.decode().count("<tr>") > 40
