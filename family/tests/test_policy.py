"""Who the family view shows which child: custody, the child's own login from the configured age, nobody else."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.http import Http404

from audit import log as audit
from audit.models import AuditEvent
from family.access import family_child_for_user, family_children, is_family_user
from people.models import Guardianship
from sharing import policy
from sharing.models import SharingRules


def _open(user, child):
    actor = policy.actor_for(user, session_key="s")
    with audit.deferred():
        return family_child_for_user(user, getattr(child, "pk", child), actor=actor, surface="page", target="test")


def test_both_guardians_with_custody_see_the_child(cast):
    assert list(family_children(cast.guardian_user)) == [cast.child]
    assert list(family_children(cast.co_guardian_user)) == [cast.child]


def test_a_parent_without_custody_sees_no_child(cast):
    assert not family_children(cast.noncustodial_user).exists()
    assert is_family_user(cast.noncustodial_user)  # still lands on the family view, which explains why
    with pytest.raises(Http404):
        _open(cast.noncustodial_user, cast.child)


def test_custody_that_has_ended_shows_nothing(cast):
    Guardianship.objects.filter(guardian=cast.guardian).update(valid_to=policy.today() - timedelta(days=1))
    assert not family_children(cast.guardian_user).exists()


def test_a_disabled_guardian_sees_nothing(cast):
    cast.guardian_user.is_active = False
    cast.guardian_user.save()
    assert not family_children(cast.guardian_user).exists()


@pytest.mark.parametrize("who", ["named_person", "teacher", "bvc_nurse", "outsider", "manager"])
def test_staff_without_a_family_relation_are_not_family_users(cast, who):
    user = getattr(cast, who)
    assert not is_family_user(user)
    assert not family_children(user).exists()
    with pytest.raises(Http404):
        _open(user, cast.child)


@pytest.mark.parametrize("who", ["guardian_user", "co_guardian_user", "noncustodial_user"])
def test_staff_rules_never_show_family_users_a_child(cast, who):
    assert not policy.visible_children(getattr(cast, who)).exists()


def test_a_guardian_cannot_open_another_family_s_child(cast):
    with pytest.raises(Http404):
        _open(cast.guardian_user, cast.protected_child)
    with pytest.raises(Http404):
        _open(cast.guardian_user, "not-a-uuid")


def test_reading_as_a_guardian_is_logged_with_its_basis(cast):
    access = _open(cast.guardian_user, cast.child)
    assert access.basis == policy.Basis.GUARDIAN
    event = AuditEvent.objects.get(child_id=cast.child.pk, username="guardian")
    assert (event.basis, event.target, event.authority_id) == (policy.Basis.GUARDIAN, "test", None)


def test_a_child_from_the_login_age_sees_itself_and_is_logged_as_such(cast, child_login):
    child = child_login(13)
    assert list(family_children(child.user)) == [child]
    assert _open(child.user, child).basis == policy.Basis.CHILD_SELF
    assert AuditEvent.objects.get(child_id=child.pk).basis == policy.Basis.CHILD_SELF


def test_a_child_below_the_login_age_does_not_see_itself(cast, child_login):
    child = child_login(12)
    assert not family_children(child.user).exists()
    assert is_family_user(child.user)


def test_the_municipality_s_login_age_applies(cast, child_login):
    child = child_login(14)
    SharingRules.objects.create(municipality=cast.municipality, child_login_age=15)
    assert not family_children(child.user).exists()
    with pytest.raises(Http404):
        _open(child.user, child)


def test_a_child_does_not_see_its_siblings_or_others(cast, child_login):
    child = child_login(15)
    with pytest.raises(Http404):
        _open(child.user, cast.child)
