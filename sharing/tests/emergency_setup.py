"""Test world for emergency access: a neighbouring region whose health records a clinician may open in an emergency."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model

from organisations.models import Authority, Membership, Role, Unit
from sharing import policy
from testsupport.cast import PASSWORD, Cast, enrol


@dataclass
class Neighbour:
    region: Authority
    bvc: Unit
    manager: object  # the neighbouring region's manager, who reviews emergency access to its records


def neighbour_region(cast: Cast, *, relate_bup: bool = True) -> Neighbour:
    """Add a second region with a BVC where the child was listed, and give the BUP clinician a relation to the child."""
    start = policy.today() - timedelta(days=400)
    region = Authority.objects.create(
        name="Region Grannlänet", kind="region", sector="child_health", municipality=cast.municipality
    )
    bvc = Unit.objects.create(authority=region, name="BVC Grannby", unit_type="child_health_centre")
    manager = get_user_model().objects.create_user(
        username="grannchef", password=PASSWORD, first_name="Greta", last_name="Granskare"
    )
    Membership.objects.create(user=manager, unit=bvc, role=Role.MANAGER, valid_from=start)
    enrol(cast.child, bvc, "child_health", start)  # the neighbouring region's health record about the child
    if relate_bup:
        enrol(cast.child, cast.bup, "other", policy.today() - timedelta(days=10))  # the BUP clinician's relation
    return Neighbour(region=region, bvc=bvc, manager=manager)
