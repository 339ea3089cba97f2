from __future__ import annotations

import pytest
from django.http import Http404

from audit import log as audit
from audit.models import AuditEvent
from sharing import policy


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
    assert _open(cast, "named_person", cast.protected_child).sees_protected_details is True
    assert _open(cast, "teacher", cast.child).sees_protected_details is True
