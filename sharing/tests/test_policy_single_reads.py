"""The single-child paths of the policy answer exactly as the list paths do.

`checked_children` (one page's child and its siblings) derives `basis` and `identity_shown` in Python
from the same relation flags `with_access` turns into SQL; `records_for_user` filters with the
`Openings` it loads, or with those `with_openings` loaded once for a page; `actor_for` and
`child_for_user` may share one load of the user's memberships. Each must give the same answer.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from audit import log as audit
from namedperson.models import Assignment
from people.models import Enrolment
from sharing import policy
from sharing.models import Block, Consent, ConsentCategory, DisclosureCategory, DisclosureDecision, EmergencyAccess
from testsupport.cast import enrol


def _access(user, child, **kwargs):
    actor = policy.actor_for(user, session_key="s")
    with audit.deferred():
        return policy.child_for_user(user, child.pk, actor=actor, surface="page", target="test", **kwargs)


def test_checked_children_agree_with_the_list_annotations_for_every_user_and_child(cast):
    on = policy.today()
    ids = [cast.child.pk, cast.protected_child.pk]
    for user in cast.users.values():
        listed = {
            child.pk: (child.basis, child.identity_shown)
            for child in policy.with_access(policy.visible_children(user, on=on), user, on=on).filter(pk__in=ids)
        }
        checked = {child.pk: (child.basis, child.identity_shown) for child in policy.checked_children(user, ids, on=on)}
        mine = policy.current_memberships(user, on=on)
        shared = {
            child.pk: (child.basis, child.identity_shown)
            for child in policy.checked_children(user, ids, on=on, mine=mine)
        }
        assert checked == listed == shared, user.username


def test_actor_and_access_are_the_same_with_memberships_loaded_once(cast):
    for user in cast.users.values():
        mine = policy.current_memberships(user)
        assert policy.actor_for(user, session_key="s", mine=mine) == policy.actor_for(user, session_key="s")
    for user, child in (
        (cast.teacher, cast.child),
        (cast.teacher, cast.protected_child),
        (cast.named_person, cast.child),
    ):
        mine = policy.current_memberships(user)
        own = _access(user, child)
        shared = _access(user, child, mine=mine)
        assert (own.basis, own.sees_protected_details, own.authority_ids) == (
            shared.basis,
            shared.sees_protected_details,
            shared.authority_ids,
        )
        assert own.authority_ids == frozenset(policy.user_authorities(user).values_list("pk", flat=True))


@pytest.fixture
def opened(cast):
    """The BUP clinician relates to the child; the school's and social services' records open in different ways."""
    now = timezone.now()
    on = policy.today()
    enrol(cast.child, cast.bup, "other", on - timedelta(days=10))
    enrol(cast.child, cast.school, "school", on - timedelta(days=400), on - timedelta(days=200))
    Enrolment.objects.create(
        child=cast.child,
        unit=cast.social_team,
        kind="other",
        start=on - timedelta(days=30),
        owner_authority=cast.social,
        category="social",
    )
    consent = Consent.objects.create(
        child=cast.child,
        owner_authority=cast.region,
        requested_by=cast.bup_clinician,
        purpose="Samordnat stöd",
        valid_from=now - timedelta(hours=1),
        valid_until=now + timedelta(days=30),
        status="given",
    )
    consent.recipients.set([cast.region])
    ConsentCategory.objects.create(consent=consent, category="education")
    decision = DisclosureDecision.objects.create(
        child=cast.child,
        owner_authority=cast.social,
        outcome="disclose",
        legal_basis="osl_10_2",
        purpose="p",
        necessary="n",
        relevant="r",
        proportionate="p",
        valid_from=now - timedelta(hours=1),
        valid_until=now + timedelta(days=1),
        decided_by=cast.manager,
    )
    decision.recipients.set([cast.region])
    DisclosureCategory.objects.create(decision=decision, category="social")
    emergency = EmergencyAccess.objects.create(
        child=cast.child,
        user=cast.bup_clinician,
        owner_authority=cast.education,
        reason="Akut",
        started_at=now - timedelta(minutes=1),
        ends_at=now + timedelta(hours=24),
    )
    return cast, consent, decision, emergency


def _rows(access, model):
    return sorted(
        (row.pk, row.shared_basis, row.shared_basis_id) for row in policy.records_for_user(access, model.objects.all())
    )


@pytest.mark.parametrize("blocked", [None, "education", "social"])
def test_openings_loaded_once_give_the_same_rows_and_bases(opened, blocked):
    cast, consent, decision, _emergency = opened
    if blocked:
        owner = cast.education if blocked == "education" else cast.social
        Block.objects.create(
            child=cast.child,
            owner_authority=owner,
            category=blocked,
            ground="child_request",
            reason="Barnet har bett om det",
            created_by=cast.manager,
        )
    for who in ("bup_clinician", "teacher", "named_person"):
        access = _access(getattr(cast, who), cast.child)
        once = policy.with_openings(access)
        for model in (Enrolment, Assignment):
            assert _rows(access, model) == _rows(once, model), (who, model.__name__)
    rows = _rows(_access(cast.bup_clinician, cast.child), Enrolment)
    by_category = {Enrolment.objects.get(pk=pk).category: (basis, basis_id) for pk, basis, basis_id in rows}
    # A consent opens the school records (an emergency access never does: not health records); a block closes it.
    if blocked == "education":
        assert "education" not in by_category
    else:
        assert by_category["education"] == (policy.Basis.CONSENT, consent.pk)
    if blocked == "social":
        assert "social" not in by_category
    else:
        assert by_category["social"] == (policy.Basis.DISCLOSURE, decision.pk)
    assert by_category["health"][0] == policy.Basis.OWN_RECORD
