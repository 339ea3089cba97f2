from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from audit.models import AuditEvent
from core.personnummer import with_check_digit
from imports.models import ImportRun
from imports.navet_file import ChildPost, GuardianPost
from imports.tests.helpers import PRODUCED, cast_post, navet_bytes, run_navet
from namedperson.models import Assignment
from people.models import Child, Guardian, Guardianship, Protection
from sharing import policy
from testsupport.cast import sign_in

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "navet-exempel.xml"


def _snapshot() -> tuple:
    return (
        list(Child.objects.order_by("pk").values()),
        list(Guardian.objects.order_by("pk").values()),
        list(Guardianship.objects.order_by("pk").values()),
        list(Assignment.objects.order_by("pk").values()),
    )


def test_it_imports_the_example_file_and_a_second_import_changes_nothing(cast, capsys):
    call_command("import_navet", str(EXAMPLE))
    run = ImportRun.objects.get()
    assert run.status == ImportRun.Status.DONE
    assert run.counts["children_created"] == 3
    assert run.counts["custody_started"] == 4
    assert run.counts["not_created"] == 1  # registered in another municipality and unknown here
    assert Child.objects.filter(protection=Protection.PROTECTED_REGISTRATION, given_name="Noah").exists()
    assert Child.objects.get(given_name="Amir").identity_kind == "samordningsnummer"
    before, rows = _snapshot(), AuditEvent.objects.count()
    call_command("import_navet", str(EXAMPLE))
    again = ImportRun.objects.order_by("-pk").first()
    assert _snapshot() == before
    assert AuditEvent.objects.count() == rows
    assert set(again.counts) == {"not_created"}
    assert "Post 3" in again.unmapped[0]


def test_it_writes_one_audit_row_per_changed_record_with_the_import_as_actor_and_no_numbers(cast):
    content = EXAMPLE.read_bytes()
    run = run_navet(content)
    rows = AuditEvent.objects.filter(username=f"import navet {run.pk}")
    # three children, five guardians (one per relation), four custody relations
    assert rows.filter(record_type="Child", action="create").count() == 3
    assert rows.filter(record_type="Guardianship", action="create").count() == 4
    numbers = set(Child.objects.values_list("identity_number", flat=True))
    text = " ".join(run.changes + run.unmapped) + " ".join(rows.values_list("record_id", flat=True))
    assert not any(number in text for number in numbers)


def test_a_protection_marking_by_import_acts_on_every_surface_at_once(cast, client):
    sign_in(client, cast.teacher)
    page = client.get(reverse("people:child_list"))
    assert "Alva" in page.content.decode()
    run = run_navet(navet_bytes([cast_post(cast, protected_registration=True)]))
    assert run.counts["protection_changed"] == 1
    cast.child.refresh_from_db()
    assert cast.child.protection == Protection.PROTECTED_REGISTRATION
    # The list, the name search and the API read the marking from the row: no stale copy shows the name.
    assert "Alva" not in client.get(reverse("people:child_list")).content.decode()
    found = client.get(reverse("people:child_list"), {"q": "Alva"}).context["page"].children
    assert cast.child.pk not in [child.pk for child in found]
    listed = policy.visible_children(cast.teacher).get(pk=cast.child.pk)
    assert listed.listed_name is None
    # the named person keeps an explicit need and still sees the child by name
    sign_in(client, cast.named_person)
    assert "Alva" in client.get(reverse("people:child_list")).content.decode()


def test_a_move_out_of_the_municipality_ends_the_named_person_and_keeps_the_record(cast):
    run = run_navet(navet_bytes([cast_post(cast, municipality_code="1480", registered_on=PRODUCED)]))
    assert run.counts["moved_out"] == 1
    assert run.counts["assignments_ended"] == 1
    child = Child.objects.get(pk=cast.child.pk)
    assert child.moved_out_on == PRODUCED
    assignment = Assignment.objects.get(child=child)
    assert assignment.end == PRODUCED and assignment.ended_reason == "other"
    assert child.enrolments.exists()  # nothing deleted


def test_a_death_stops_the_family_view_and_reminders_and_deletes_nothing(cast, client):
    assert policy.family_children(cast.guardian_user).filter(pk=cast.child.pk).exists()
    run = run_navet(
        navet_bytes([cast_post(cast, deregistration_code="AV", deregistered_on=PRODUCED - timedelta(days=2))])
    )
    assert run.counts["deceased"] == 1
    child = Child.objects.get(pk=cast.child.pk)
    assert child.deceased_on == PRODUCED - timedelta(days=2)
    assert not policy.family_children(cast.guardian_user).exists()
    sign_in(client, cast.guardian_user)
    assert "Alva" not in client.get(reverse("family:home")).content.decode()
    assert Assignment.objects.get(child=child).end is not None
    assert child.guardianships.count() == 3 and child.enrolments.count() == 2
    assert set(run_navet(navet_bytes([cast_post(cast, deregistration_code="AV")])).counts) == set()


def test_custody_no_longer_listed_ends_and_a_new_guardian_starts(cast):
    post = cast_post(cast)
    post.guardians = post.guardians[:1]
    run = run_navet(navet_bytes([post]))
    assert run.counts["custody_ended"] == 1
    ended = Guardianship.objects.get(child=cast.child, guardian=cast.co_guardian)
    assert ended.valid_to == PRODUCED - timedelta(days=1)
    assert not policy.family_children(cast.co_guardian_user).exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"<Navet><Leverans>", "inte giltig XML"),
        (b"<Annat/>", "inte en leverans"),
        (b"<Navet></Navet>", "saknar leveransuppgifter"),
    ],
)
def test_a_bad_file_is_rejected_with_a_reason_and_changes_nothing(cast, content, message):
    before = _snapshot()
    run = run_navet(content)
    assert run.status == ImportRun.Status.REJECTED
    assert message in run.error
    assert _snapshot() == before


def test_a_file_for_an_unknown_municipality_is_rejected(cast):
    run = run_navet(navet_bytes([cast_post(cast, given_name="Annan")], code="0001"))
    assert run.status == ImportRun.Status.REJECTED
    assert Child.objects.get(pk=cast.child.pk).given_name == "Alva"


def test_a_post_with_a_bad_number_is_rejected_without_naming_it_and_the_rest_is_imported(cast):
    bad = cast_post(cast, number="201301011234", given_name="Fel")
    good = cast_post(cast, given_name="Alvina")
    run = run_navet(navet_bytes([bad, good]))
    assert run.counts["rejected"] == 1 and run.counts["names_changed"] == 1
    assert "Post 1" in run.unmapped[0] and "1234" not in run.unmapped[0]


def test_a_dry_run_reports_and_changes_nothing(cast):
    before, rows = _snapshot(), AuditEvent.objects.count()
    run = run_navet(EXAMPLE.read_bytes(), dry_run=True)
    assert run.counts["children_created"] == 3
    assert _snapshot() == before
    assert AuditEvent.objects.count() == rows


def _adult_post(number: str, **changes) -> ChildPost:
    post = ChildPost(number, "Vera", "Vuxen", "9999", PRODUCED - timedelta(days=400))
    for key, value in changes.items():
        setattr(post, key, value)
    return post


def test_relations_other_than_custody_are_read_and_not_imported(cast):
    """F (far) and M (mor) without V: a parent without custody has no part in Samplan (docs/imports.md)."""
    parent = with_check_digit(date(1980, 5, 5), 981)
    post = cast_post(cast)
    post.guardians += [
        GuardianPost(cast.guardian.identity_number, "Far", "Fars", relation_type="F"),
        GuardianPost(parent, "Mor", "Utan Vårdnad", relation_type="M"),
    ]
    before, rows = _snapshot(), AuditEvent.objects.count()
    run = run_navet(navet_bytes([post]))
    assert set(run.counts) == set()
    assert not Guardian.objects.filter(identity_number=parent).exists()
    assert _snapshot() == before and AuditEvent.objects.count() == rows


def test_a_guardians_own_post_sets_their_protection_at_once_and_is_not_a_child(cast, client):
    sign_in(client, cast.named_person)
    page = reverse("people:child", args=[cast.child.pk])
    assert "vårdnadshavaren har skyddade personuppgifter" not in client.get(page).content.decode()
    guardian = cast.guardian
    post = _adult_post(guardian.identity_number, given_name=guardian.given_name, family_name=guardian.family_name)
    post.protected_registration = True
    run = run_navet(navet_bytes([post]))
    assert run.counts["guardian_protection_changed"] == 1 and run.counts["adults"] == 1
    guardian.refresh_from_db()
    assert guardian.protection == Protection.PROTECTED_REGISTRATION
    assert not Child.objects.filter(identity_number=guardian.identity_number).exists()
    row = AuditEvent.objects.get(username=f"import navet {run.pk}")
    assert (row.action, row.record_type, row.record_id) == ("update", "Guardian", str(guardian.pk))
    assert "vårdnadshavaren har skyddade personuppgifter" in client.get(page).content.decode()
    rows = AuditEvent.objects.count()
    assert set(run_navet(navet_bytes([post])).counts) == {"adults"}  # the same post again changes nothing
    assert AuditEvent.objects.count() == rows


def test_an_adults_marking_read_before_any_child_lists_them_protects_the_guardian_created_later(cast):
    adult = with_check_digit(date(1985, 3, 3), 982)
    child_number = with_check_digit(PRODUCED - timedelta(days=900), 983)
    child = ChildPost(
        child_number,
        "Liv",
        "Skydd",
        "9999",
        PRODUCED - timedelta(days=900),
        guardians=[GuardianPost(adult, "Vera", "Skydd")],
    )
    run = run_navet(navet_bytes([_adult_post(adult, confidentiality=True), child]))
    assert run.counts["adults"] == 1 and run.counts["children_created"] == 1
    assert Guardian.objects.get(identity_number=adult).protection == Protection.CONFIDENTIALITY_MARKING
    assert not Child.objects.filter(identity_number=adult).exists()
