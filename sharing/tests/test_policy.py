from __future__ import annotations

import pytest
from django.http import Http404

from audit import log as audit
from audit.models import AuditEvent
from sharing import policy
from testsupport.cast import assessed_user


def _open(cast, who, child):
    user = getattr(cast, who)
    actor = policy.actor_for(user, session_key="s")
    with audit.deferred():
        return policy.child_for_user(user, child.pk, actor=actor, surface="page", target="test")


@pytest.mark.parametrize(
    ("who", "basis"),
    [("named_person", "named_person"), ("teacher", "enrolment"), ("manager", "enrolment")],
)
def test_it_lets_related_staff_see_the_child(cast, who, basis):
    access = _open(cast, who, cast.child)
    assert access.basis == basis
    assert AuditEvent.objects.filter(child_id=cast.child.pk, basis=basis).count() == 1


@pytest.mark.parametrize(
    "who",
    [
        "other_school_teacher",
        "bvc_nurse",
        "social_worker",
        "bup_clinician",
        "outsider",
        "expired",
        "analyst",
        "administrator",
    ],
)
def test_it_answers_404_without_a_relation(cast, who):
    with pytest.raises(Http404):
        _open(cast, who, cast.child)
    assert not AuditEvent.objects.filter(child_id=cast.child.pk).exists()


def test_it_lists_children_in_sql(cast, django_assert_num_queries):
    with django_assert_num_queries(1):
        names = sorted(c.given_name for c in policy.visible_children(cast.teacher))
    assert names == ["Alva", "Vidar"]
    assert list(policy.visible_children(cast.outsider)) == []


def test_it_hides_protected_details_from_those_without_explicit_need(cast):
    assert _open(cast, "teacher", cast.protected_child).sees_protected_details is False
    # The named person knows the child, not where it lives: that takes a recorded secrecy assessment.
    assert _open(cast, "named_person", cast.protected_child).sees_protected_details is False
    cast.assessed = assessed_user(cast, cast.protected_child)
    assert _open(cast, "assessed", cast.protected_child).sees_protected_details is True
    assert _open(cast, "teacher", cast.child).sees_protected_details is True


def _propose(cast, unit, role, *, status="open"):
    from namedperson.models import HandoverProposal, Stage

    return HandoverProposal.objects.create(
        child=cast.child, stage=Stage.SCHOOL, to_unit=unit, to_role=role, due_date=policy.today(), status=status
    )


def test_an_open_handover_lets_the_receiving_role_at_the_receiving_unit_see_the_child(cast):
    from organisations.models import Role

    _propose(cast, cast.bmm, Role.MIDWIFE)
    access = _open(cast, "midwife", cast.child)
    assert access.basis == policy.Basis.HANDOVER
    assert cast.child in policy.visible_children(cast.midwife)
    # The receiver sees who the child is and who its named person is, but not other authorities' records.
    from namedperson.models import Assignment
    from people.models import Enrolment

    assert not policy.records_for_user(access, Enrolment.objects.filter(owner_authority=cast.education)).exists()
    assert policy.records_for_user(access, Assignment.objects.all()).exists()


@pytest.mark.parametrize(
    ("unit", "role", "status"),
    [
        ("bvc", "midwife", "open"),  # right role, other unit
        ("bmm", "child_health_nurse", "open"),  # right unit, other role
        ("bmm", "midwife", "accepted"),  # no longer waiting
        ("bmm", "midwife", "superseded"),
    ],
)
def test_a_handover_gives_no_relation_to_anyone_else(cast, unit, role, status):
    _propose(cast, getattr(cast, unit), role, status=status)
    with pytest.raises(Http404):
        _open(cast, "midwife", cast.child)
    assert cast.child not in policy.visible_children(cast.midwife)
