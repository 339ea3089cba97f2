"""What a user may do with what the policy lets them see: each rule on its own line, with why."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from audit.models import AuditEvent
from people.models import ContactDetails, Guardianship
from plans.models import ChildPlan
from sharing.models import EmergencyAccess
from sharing.policy.registration import merged_history
from sharing.policy.relations import ChildAccess
from sharing.policy.rules import LOG_EXTRACT_ROLES, Basis, consults, current
from sharing.policy.staff import has_role
from sharing.policy.statutory import deciding_authorities


def may_edit_plan(access: ChildAccess, plan: ChildPlan) -> bool:
    """Return whether the user may change the plan: staff of the authority that owns and leads it, while it is open.

    Other participating authorities read the plan through the family's consent; reading is what
    the consent opens, so they ask the lead to record their views and changes.
    """
    return plan.owner_authority_id in access.authority_ids and plan.is_open


def may_read_log_extract(user, access: ChildAccess) -> bool:
    """Return whether the user may read the log extract of a child the policy already lets them see."""
    if not access.sees_protected_details:
        return False  # a protected child's log names the units that know where it is
    if access.basis == Basis.NAMED_PERSON:
        return True  # the child's current named person answers for the whole picture
    # Those who answer for the child or the staff who read it (from the memberships the access was checked with).
    return has_role(user, LOG_EXTRACT_ROLES, on=access.on, mine=access.memberships)


@consults
def log_events_for(access: ChildAccess) -> QuerySet[AuditEvent]:
    """Return the child's audit rows made by the user's own authority (or by system runs), newest first.

    Each authority is its own secrecy domain: that social services opened a child's record is social
    services' information, and each authority hands out its own part, as each care provider does
    under PDL. The family's own reads are left out: staff have no need of them, and a guardian's
    username could identify a guardian with protected identity.
    """
    return (
        AuditEvent.objects.filter(merged_history(access.child.pk))
        .filter(Q(authority_id__in=access.authority_ids) | Q(authority_id__isnull=True))
        .exclude(basis__in=(Basis.GUARDIAN, Basis.CHILD_SELF))
        .order_by("-at", "-id")
    )


def contact_details_rows(access: ChildAccess) -> QuerySet[ContactDetails] | None:
    """Return the child's address and phone as a queryset, or None for a protected child the user may not locate."""
    if not access.sees_protected_details:
        return None  # an address locates a child with protected identity
    return ContactDetails.objects.filter(child=access.child).order_by("pk")


def contact_details_for(access: ChildAccess) -> ContactDetails | None:
    """Return the child's address and phone, or None for a protected child the user has no recorded need to locate."""
    rows = contact_details_rows(access)
    return rows.first() if rows is not None else None


def may_review_emergency(user, emergency: EmergencyAccess) -> bool:
    """Return whether the user holds a deciding role at the authority whose records were opened."""
    return deciding_authorities(user).filter(pk=emergency.owner_authority_id).exists()


def guardianship_rows(access: ChildAccess) -> QuerySet[Guardianship]:
    """Return the child's current guardian relations with each guardian (and its contact details) joined."""
    return (
        Guardianship.objects.filter(current(access.on), child=access.child)  # relations in force on the day
        .select_related("guardian", "guardian__contact")
        .order_by("guardian__family_name", "guardian__given_name", "pk")
    )


def guardianships_for(access: ChildAccess) -> list[Guardianship]:
    """Return the child's current guardian relations with each guardian (and its contact details) joined."""
    return list(guardianship_rows(access))
