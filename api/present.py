"""Turn loaded records into API shapes, applying the protected-identity masks; child data is loaded elsewhere."""

from __future__ import annotations

from people.models import Child, ContactDetails
from sharing.display import display_for
from sharing.policy import ChildAccess


def child_summary(child: Child, *, identity_shown: bool) -> dict:
    """Return a list entry; a protected child without need keeps only its id."""
    return {
        "id": child.pk,
        "protected": child.is_protected,
        "identity_masked": not identity_shown,
        "given_name": child.given_name if identity_shown else None,
        "family_name": child.family_name if identity_shown else None,
        "birth_date": child.birth_date if identity_shown else None,
    }


def child_detail(access: ChildAccess, contact: ContactDetails | None) -> dict:
    """Return the child's identity; the number goes with the name, contact details only with an assessment."""
    child, shown = access.child, access.sees_protected_details
    named = display_for(access).name_shown
    return {
        "id": child.pk,
        "identity_kind": child.identity_kind,
        "identity_number": child.identity_number if named else None,
        "identity_masked": not named,
        "given_name": child.given_name,
        "family_name": child.family_name,
        "birth_date": child.birth_date,
        "is_expected": child.is_expected,
        "languages": list(child.languages or []),
        "protected": child.is_protected,
        "municipality": child.municipality.name,
        "basis": access.basis,
        "contact": _contact(contact) if shown and contact else None,
    }


def _contact(contact: ContactDetails) -> dict:
    return {
        "address": contact.address,
        "postal_code": contact.postal_code,
        "city": contact.city,
        "phone": contact.phone,
    }


def unit(unit) -> dict:
    return {
        "id": unit.pk,
        "name": unit.name,
        "unit_type": unit.unit_type,
        "area": unit.area,
        "authority": unit.authority.name,
    }


def enrolment(access: ChildAccess, row) -> dict:
    hidden = display_for(access).hides_unit(row.unit_id)
    return {
        "id": row.pk,
        "kind": row.kind,
        "start": row.start,
        "end": row.end,
        "category": row.category,
        "unit_masked": hidden,
        "unit": None if hidden else unit(row.unit),
    }


def named_person(access: ChildAccess, row) -> dict:
    # The person names the unit (the head teacher *of* a school), so both are hidden together.
    hidden = display_for(access).hides_unit(row.unit_id)
    person = row.person
    return {
        "id": row.pk,
        "stage": row.stage,
        "role": row.role,
        "start": row.start,
        "end": row.end,
        "current": row.start <= access.on and (row.end is None or row.end > access.on),
        "masked": hidden,
        "person": None if hidden else {"name": person.get_full_name(), "title": person.title, "phone": person.phone},
        "unit": None if hidden else unit(row.unit),
    }
