"""Reads of the audit log for the log extract (loggutdrag) of one child.

Who may read a child's extract, and which rows it holds, is decided here:

- The user must be let see the child by `sharing.policy` (the views call `child_for_user` first),
  and must either hold a role that answers for children or for staff (the named-person roles:
  midwife, child health nurse, head teacher; and manager), or be the child's current named person.
- A protected child's extract is shown only to a user who may see its protected details. The rows
  name the units whose staff opened the record, which would tell others where the child is.
- The extract holds the accesses made by the user's own authority (and system runs, which belong to
  no authority). Each authority is its own secrecy domain: that, say, social services opened a
  child's record is social services' information. Each authority hands out its own part, as each
  care provider does under PDL.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from audit.models import AuditEvent
from organisations.models import Role
from sharing import policy
from sharing.policy import ChildAccess

LOG_EXTRACT_ROLES = frozenset({Role.HEAD_TEACHER, Role.CHILD_HEALTH_NURSE, Role.MIDWIFE, Role.MANAGER})

BASIS_LABELS = {
    policy.Basis.NAMED_PERSON: _("Namngiven person"),
    policy.Basis.ENROLMENT: _("Inskrivning på användarens enhet"),
    policy.Basis.ASSIGNMENT: _("Tilldelad åtkomst"),
    policy.Basis.HANDOVER: _("Överlämning väntar på användarens enhet"),
    policy.Basis.LOOKUP: _("Sökning på personnummer"),
    policy.Basis.OWN_RECORD: _("Egen myndighets uppgifter"),
    policy.Basis.CONSENT: _("Samtycke"),
    policy.Basis.DISCLOSURE: _("Beslutat utlämnande"),
    policy.Basis.EMERGENCY: _("Nödåtkomst"),
    policy.Basis.EMERGENCY_REVIEW: _("Granskning av nödåtkomst"),
    policy.Basis.GUARDIAN: _("Vårdnadshavare i familjevyn"),
    policy.Basis.CHILD_SELF: _("Barnet självt i familjevyn"),
    policy.Basis.REPORT: _("Orosanmälan till användarens enhet"),
    policy.Basis.RECEIPT: _("Kvitto på egen orosanmälan"),
    "named_person_handover": _("Överlämning av namngiven person"),
    "named_person_oversight": _("Uppföljning av namngivna personer"),
    "consent_admin": _("Hantering av samtycke"),
    "consent_expiry": _("Samtycket gick ut (schemalagd körning)"),
    "demo_data": _("Demodata"),
}


def may_read_extract(user, access: ChildAccess) -> bool:
    """Return whether the user may read the log extract of a child the policy already lets them see."""
    if not access.sees_protected_details:
        return False  # a protected child's log names the units that know where it is
    if access.basis == policy.Basis.NAMED_PERSON:
        return True  # the child's current named person answers for the whole picture
    return policy.has_role(
        user, LOG_EXTRACT_ROLES, on=access.on
    )  # those who answer for the child or for the staff who read it


def events_for_child(access: ChildAccess) -> QuerySet[AuditEvent]:
    """Return the child's audit rows made by the user's own authority (or by system runs), newest first.

    The family's own reads are left out: staff have no need of them, and a guardian's username could
    identify a guardian with protected identity.
    """
    return (
        AuditEvent.objects.filter(child_id=access.child.pk)
        .filter(Q(authority_id__in=access.authority_ids) | Q(authority_id__isnull=True))
        .exclude(basis__in=(policy.Basis.GUARDIAN, policy.Basis.CHILD_SELF))
        .order_by("-at", "-id")
    )


def basis_label(basis: str):
    """Return the basis of access in words (Swedish, as logged); an unknown basis is shown as stored."""
    # "consent:12", "emergency_access:7": the kind of basis in words, the id of what opened it after.
    kind, _sep, ref = basis.partition(":")
    if basis not in BASIS_LABELS and ref and kind in BASIS_LABELS:
        return f"{BASIS_LABELS[kind]} ({ref})"
    return BASIS_LABELS.get(basis, basis)
