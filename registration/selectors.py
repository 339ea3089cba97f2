"""Reads for the registration pages: a child's guardians and enrolments, from the registrar's access.

The child is found only through `sharing.policy` (`registration_access`, which decides and logs the
registrar's access); these functions take that decision and add the joins and the order the pages need.
"""

from __future__ import annotations

from django.db.models import QuerySet

from people.models import Enrolment, Guardianship
from sharing.policy import RegistrationAccess


def guardianships_for(access: RegistrationAccess) -> list[Guardianship]:
    """Return the child's guardian relations with their guardians, latest first."""
    return list(
        Guardianship.objects.filter(child=access.child).select_related("guardian").order_by("-valid_from", "pk")
    )


def enrolments_for(access: RegistrationAccess) -> list[Enrolment]:
    """Return the child's enrolments and placements with their units, latest first."""
    return list(
        Enrolment.objects.filter(child=access.child).select_related("unit", "unit__authority").order_by("-start")
    )


def guardianship_for(access: RegistrationAccess, guardianship_id: int) -> Guardianship | None:
    """Return one of the child's guardian relations with its guardian, or None (not the child's, or missing)."""
    return Guardianship.objects.filter(child=access.child, pk=guardianship_id).select_related("guardian").first()


def enrolment_for(access: RegistrationAccess, enrolment_id: int) -> Enrolment | None:
    """Return one of the child's enrolments with its unit, or None (not the child's, or missing)."""
    return Enrolment.objects.filter(child=access.child, pk=enrolment_id).select_related("unit").first()


def moving_guardianships(duplicate: RegistrationAccess) -> QuerySet[Guardianship]:
    """Return the guardian relations a merge moves from the duplicate, with their guardians."""
    return Guardianship.objects.filter(child=duplicate.child).select_related("guardian")


def moving_enrolments(duplicate: RegistrationAccess) -> QuerySet[Enrolment]:
    """Return the enrolments a merge moves from the duplicate, with their units."""
    return Enrolment.objects.filter(child=duplicate.child).select_related("unit")
