from __future__ import annotations

from datetime import timedelta

import pytest

from accounts.models import User
from catalogue.models import Provider
from catalogue.tests.setup import build, make_intervention
from organisations.models import Authority, Membership, Municipality, Role, Unit
from sharing import policy


@pytest.fixture
def catalogue(cast):
    return build(cast)


@pytest.fixture
def elsewhere(cast):
    """A teacher and a manager of another municipality (the unrelated authority), with their own provider."""
    other = Municipality.objects.create(name="Annanstad", code="9998")
    authority = Authority.objects.create(
        name="Annanstads nämnd", kind="municipal_committee", sector="education", municipality=other
    )
    unit = Unit.objects.create(authority=authority, name="Annanstads skola", unit_type="school")
    start = policy.today() - timedelta(days=30)
    users = {}
    for key, role in (("other_teacher", Role.PRACTITIONER), ("other_manager", Role.MANAGER)):
        users[key] = User.objects.create_user(username=key, password="x")
        Membership.objects.create(user=users[key], unit=unit, role=role, valid_from=start)
    provider = Provider.objects.create(municipality=other, name="Annanstads elevhälsa", unit=unit, authority=authority)
    users["other_intervention"] = make_intervention(provider, "Annanstads samtalsstöd")
    return users
