"""The family view: guardians with custody and, from the configured age, the child itself.

Staff relations play no part here: a family login is matched only through custody or the child's
own login, and staff pages never see family users (they have no memberships).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from audit import log as audit
from audit.models import AuditEvent
from people.models import Child, Guardian, Guardianship
from sharing.models import SharingRules
from sharing.policy.registration import merged_history
from sharing.policy.rules import AGE_OF_MAJORITY, Basis, age_on, consults, current, majority_cutoff, today

DEFAULT_CHILD_LOGIN_AGE = 13  # DOMAIN.md default when the municipality has no SharingRules row


def child_login_age(municipality_id: int) -> int:
    """Return the age from which a child of the municipality may use the family view."""
    rules = SharingRules.objects.filter(municipality_id=municipality_id).values_list("child_login_age", flat=True)
    return next(iter(rules), DEFAULT_CHILD_LOGIN_AGE)


def custody_in_force(on: date) -> Q:
    """Return the condition for a guardianship that carries custody on a day: the one custody rule.

    Custody ends on the 18th birthday, judged here at the moment of reading, so the guardians'
    family view, answers and consents end that day whether or not any task has run.
    """
    return (
        current(on)  # the relation is current
        & Q(has_custody=True)  # with custody, not a parent without it
        & Q(child__birth_date__gt=majority_cutoff(on))  # and the child is not yet 18
    )


def _custody_rows(user, on: date) -> QuerySet[Guardianship]:
    return Guardianship.objects.filter(custody_in_force(on), guardian__user=user, guardian__user__is_active=True)


def _self_child_id(user, on: date) -> UUID | None:
    own = Child.objects.filter(user=user, is_expected=False).values("pk", "birth_date", "municipality_id").first()
    if own is None:
        return None
    if not sees_itself(own["birth_date"], child_login_age(own["municipality_id"]), on):
        return None  # a minor below the municipality's login age: the guardians see the child, not the child itself
    return own["pk"]  # from the login age, and always from 18, whatever the setting


def sees_itself(birth_date: date, login_age: int, on: date) -> bool:
    """Return whether a child born on the day uses the family view itself: from the login age, always from 18."""
    age = age_on(birth_date, on)
    return age >= AGE_OF_MAJORITY or age >= login_age


def own_logins(children, on: date) -> dict[UUID, int]:
    """Return, of the children, each one's own login where the family view shows the child its own record on the day.

    The rule of `family_children` for the child itself (an active login, born, alive, from the login age and
    always from 18), for many children at once: two queries whatever their number. The notifications use it
    to tell the young person what waits for them in the family view.
    """
    rows = list(
        Child.objects.filter(
            pk__in=children, is_expected=False, deceased_on__isnull=True, user__is_active=True
        ).values_list("pk", "user_id", "birth_date", "municipality_id")
    )
    if not rows:
        return {}
    login_ages = dict(
        SharingRules.objects.filter(municipality_id__in={row[3] for row in rows}).values_list(
            "municipality_id", "child_login_age"
        )
    )
    return {
        pk: user_id
        for pk, user_id, born, municipality_id in rows
        if sees_itself(born, login_ages.get(municipality_id, DEFAULT_CHILD_LOGIN_AGE), on)
    }


@consults
def family_children(user, *, on: date | None = None) -> QuerySet[Child]:
    """Return the children a family user may see in the family view, as one queryset.

    Staff relations play no part here: a family login is matched only through custody or the
    child's own login, and staff pages never see family users (they have no memberships).
    """
    if not (user.is_authenticated and user.is_active):
        return Child.objects.none()  # deny by default
    on = on or today()
    self_id = _self_child_id(user, on)
    return Child.objects.filter(
        Q(pk__in=_custody_rows(user, on).values("child"))  # a guardian with custody, until the 18th birthday
        | Q(pk=self_id),  # the child itself, from the municipality's login age and always from 18
        deceased_on__isnull=True,  # the family view stops at a death from the population register
    )


def is_family_user(user) -> bool:
    """Return whether the user signs in as a parent, guardian or child (whether or not any child is shown)."""
    rows = family_user_rows(user)
    return rows is not None and rows.exists()  # one statement


def family_user_rows(user):
    """Return the user as a queryset of one row if they sign in as a parent, guardian or child (None: they cannot)."""
    if not (user.is_authenticated and user.is_active):
        return None
    guardian = Exists(Guardian.objects.filter(user=OuterRef("pk")))
    child = Exists(Child.objects.filter(user=OuterRef("pk")))
    return get_user_model().objects.filter(Q(guardian) | Q(child), pk=user.pk).values("pk")


def family_basis(child: Child, user) -> str:
    """Return the basis on which a family user (already matched by family_children) sees the child."""
    # The child's own login reads as itself; every other family user here holds custody.
    return Basis.CHILD_SELF if child.user_id == user.pk else Basis.GUARDIAN


@dataclass(frozen=True)
class FamilyAccess:
    """A child a family user may see, and on what basis (Basis.GUARDIAN or Basis.CHILD_SELF)."""

    child: Child
    basis: str
    on: date
    user_id: int


@consults
def family_child_for_user(
    user,
    child_id: UUID | str,
    *,
    actor: audit.Actor,
    surface: str,
    target: str,
    action: str = "read",
    on: date | None = None,
) -> FamilyAccess:
    """Load a child the family user may see and log the access, or raise Http404 (missing or forbidden alike)."""
    on = on or today()
    try:
        child_id = UUID(str(child_id))
    except ValueError as exc:
        raise Http404 from exc
    child = family_children(user, on=on).filter(pk=child_id).select_related("municipality").first()
    if child is None:
        raise Http404
    basis = family_basis(child, user)
    audit.record(
        actor=actor,
        action=action,
        surface=surface,
        target=target,
        basis=basis,
        child_id=child.pk,
        record_type="Child",
        record_id=str(child.pk),
    )
    return FamilyAccess(child=child, basis=basis, on=on, user_id=user.pk)


@consults
def family_log_events(access: FamilyAccess) -> QuerySet[AuditEvent]:
    """Return every access to the child's data, by any authority, newest first: the family's log extract.

    The family is the data subject: each authority's part is the family's own information (PDL 8 kap. 5 §,
    applied to all Samplan data), so the extract holds every authority's accesses.
    """
    return AuditEvent.objects.filter(merged_history(access.child.pk)).order_by("-at", "-id")
