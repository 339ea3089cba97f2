"""Merging duplicates: confirmation first, what moves, the merge record, and the duplicate's log kept."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import transaction
from django.urls import reverse

from audit.models import AuditEvent
from namedperson.models import Assignment
from people.models import Child, ContactDetails, Enrolment, Guardianship
from registration.models import ChildMerge
from testsupport.cast import enrol, make_child, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def duplicate(cast):
    """The same child registered again with a reserve-style second record: same name and birth date."""
    twin = make_child(cast.municipality, born=cast.child.birth_date, given="Alva", family="Andersson", serial=311)
    Guardianship.objects.create(
        child=twin, guardian=cast.guardian, relation="parent", has_custody=True, valid_from=cast.child.birth_date
    )  # the same guardian as the kept child: not moved twice
    Guardianship.objects.create(
        child=twin, guardian=cast.noncustodial_parent, relation="parent", has_custody=True, valid_from=date(2020, 1, 1)
    )
    enrol(twin, cast.preschool, "preschool", date(2020, 8, 1))
    return twin


@pytest.fixture
def signed_in(client, registrar):
    sign_in(client, registrar)
    return client


def _url(cast, duplicate):
    return reverse("registration:merge", args=[cast.child.pk, duplicate.pk])


def test_it_shows_the_duplicate_and_what_moves_before_merging(signed_in, cast, duplicate):
    page = signed_in.get(reverse("registration:child", args=[cast.child.pk])).content.decode()
    assert _url(cast, duplicate) in page
    confirm = signed_in.get(_url(cast, duplicate)).content.decode()
    assert "Förskolan Solrosen" in confirm and "Nils Berg" in confirm


def test_it_merges_nothing_without_confirmation(signed_in, cast, duplicate):
    response = signed_in.post(_url(cast, duplicate), {"reason": "Samma barn"})
    assert response.status_code == 400
    assert "Bekräfta sammanslagningen" in response.content.decode()
    assert Child.objects.filter(pk=duplicate.pk).exists() and not ChildMerge.objects.exists()


def test_it_merges_a_duplicate_keeping_its_history(signed_in, cast, duplicate):
    duplicate_id = duplicate.pk
    signed_in.get(reverse("registration:child", args=[duplicate_id]))  # a read of the duplicate, in its log
    kept_enrolments = Enrolment.objects.filter(child=cast.child).count()
    response = signed_in.post(_url(cast, duplicate), {"reason": "Samma namn och födelsedatum", "confirm": "on"})
    assert response.status_code == 302
    assert not Child.objects.filter(pk=duplicate_id).exists()
    assert Enrolment.objects.filter(child=cast.child).count() == kept_enrolments + 1
    assert Guardianship.objects.filter(child=cast.child, guardian=cast.guardian).count() == 1
    assert Guardianship.objects.filter(child=cast.child, guardian=cast.noncustodial_parent).count() == 2
    merge = ChildMerge.objects.get()
    assert merge.kept_child_id == cast.child.pk and merge.duplicate_child_id == duplicate_id
    assert merge.moved["enrolments"] == 1 and merge.moved["guardianships"] == 1
    assert merge.merged_by_name.startswith("Rut Registrator")
    # The duplicate's audit rows stay under its id, with the merge itself written to both children's logs.
    assert AuditEvent.objects.filter(child_id=duplicate_id, action="read").exists()
    assert AuditEvent.objects.filter(child_id=duplicate_id, action="delete", target="registration:merge").exists()
    assert AuditEvent.objects.filter(child_id=cast.child.pk, record_type="ChildMerge").exists()
    assert "slogs ihop med barnet" in signed_in.get(response.url).content.decode()


def test_it_keeps_the_kept_childs_contact_details(signed_in, cast, duplicate):
    ContactDetails.objects.create(child=duplicate, address="Annan väg 3")
    signed_in.post(_url(cast, duplicate), {"reason": "Samma barn", "confirm": "on"})
    assert ContactDetails.objects.get(child=cast.child).address == "Storgatan 5"


def test_it_refuses_to_merge_a_duplicate_with_casework(signed_in, cast, duplicate):
    Assignment.objects.create(
        child=duplicate,
        person=cast.named_person,
        unit=cast.school,
        role="head_teacher",
        stage="school",
        start=date(2024, 8, 1),
        owner_authority=cast.education,
    )
    response = signed_in.post(_url(cast, duplicate), {"reason": "Samma barn", "confirm": "on"})
    assert response.status_code == 400
    assert "inget har ändrats" in response.content.decode()
    assert Child.objects.filter(pk=duplicate.pk).exists() and not ChildMerge.objects.exists()


def test_the_kept_childs_log_extracts_include_the_duplicates_rows(signed_in, cast, duplicate):
    from sharing import policy

    duplicate_id = duplicate.pk
    signed_in.post(_url(cast, duplicate), {"reason": "Samma barn", "confirm": "on"})
    with transaction.atomic():
        access = policy.child_for_user(
            cast.named_person,
            cast.child.pk,
            actor=policy.actor_for(cast.named_person, session_key=None),
            surface="page",
            target="test",
        )
        staff_rows = policy.log_events_for(access)
        family = policy.family_child_for_user(
            cast.guardian_user,
            cast.child.pk,
            actor=policy.actor_for(cast.guardian_user, session_key=None),
            surface="page",
            target="test",
        )
        family_rows = policy.family_log_events(family)
    assert family_rows.filter(child_id=duplicate_id, action="delete").exists()
    # The registrar works for the education committee, as the named person does: their rows are its part.
    assert staff_rows.filter(child_id=duplicate_id, action="delete").exists()
