"""Emergency access (nödåtkomst): start after a fresh re-authentication, end early, review afterwards.

Nödåtkomst is the Patient Data Act's rule for health care, not a general override: only a care-giving
role at a health-care authority may start it, and it opens only another health-care authority's health
records (`sharing.policy.emergency`). The access itself is read by the policy (`emergency_active` and
`policy.emergency.in_force`) until `ends_at` or until it is ended. Starting needs a relation to the
child, a reason and a re-authentication in the same request; a manager of the owning authority reviews
it afterwards, and the family sees it in their log. Anyone else with an urgent worry about a child makes
a report of concern to social services (`sharing.services.reports`).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.reauth import REAUTH_MAX_AGE_SECONDS
from audit import log as audit
from organisations.models import Authority
from sharing import policy
from sharing.models import EmergencyAccess, SharingRules

START_TARGET = "sharing:emergency_start"
END_TARGET = "sharing:emergency_end"
REVIEW_TARGET = "sharing:emergency_review"

NEEDS_REAUTH = _("Bekräfta med ditt lösenord och en ny engångskod innan du startar nödåtkomst.")
NEEDS_REASON = _("Skriv varför uppgifterna behövs nu och inte kan vänta på samtycke eller ett beslut.")
OWN_AUTHORITY = _("Välj en annan myndighet än din egen. Din egen myndighets uppgifter ser du redan.")
ALREADY_ACTIVE = _("Du har redan en pågående nödåtkomst till den myndighetens uppgifter om barnet.")
NOT_HEALTH_CARE = _(
    "Nödåtkomst är en regel i patientdatalagen för hälso- och sjukvården och kan bara användas av vårdpersonal. "
    "Misstänker du att ett barn far illa, gör en orosanmälan till socialtjänsten."
)
NOT_HEALTH_RECORDS = _(
    "Nödåtkomst öppnar bara en annan vårdgivares journaluppgifter, aldrig skolans, socialtjänstens eller polisens."
)
NOT_A_REVIEWER = _("Bara en chef vid myndigheten som äger uppgifterna kan granska nödåtkomsten.")
OWN_ACCESS = _("Du kan inte granska din egen nödåtkomst. Be en annan chef vid myndigheten.")
ALREADY_REVIEWED = _("Nödåtkomsten är redan granskad.")
NEEDS_OUTCOME = _("Välj om nödåtkomsten var befogad eller inte.")
NEEDS_NOTE = _("Skriv en kort motivering till bedömningen.")


def emergency_hours(child) -> int:
    """Return how long an emergency access lasts in the child's municipality (24 hours unless configured)."""
    rules = SharingRules.objects.filter(municipality_id=child.municipality_id).first()
    return rules.emergency_hours if rules else SharingRules._meta.get_field("emergency_hours").default


def _basis(emergency: EmergencyAccess) -> str:
    return f"{policy.Basis.EMERGENCY}:{emergency.pk}"


def _record(
    emergency: EmergencyAccess, *, actor: audit.Actor, action: str, surface: str, target: str, reason: str = ""
):
    audit.record(
        actor=actor,
        action=action,
        surface=surface,
        target=target,
        basis=_basis(emergency),
        child_id=emergency.child_id,
        record_type="EmergencyAccess",
        record_id=str(emergency.pk),
        reason=reason,
    )


@transaction.atomic
def emergency_access_start(
    *,
    user,
    child: UUID | str,
    owner_authority: Authority,
    reason: str,
    reauthenticated_at: datetime | None,
    actor: audit.Actor,
    surface: str = "page",
) -> EmergencyAccess:
    """Open another health-care authority's health records about a child to a care-giving user for the emergency hours.

    Raises Http404 without a relation to the child (like a child that does not exist) and
    ValidationError, changing nothing, for a user outside health care (code "not_health_care"), a
    stale re-authentication, a missing reason, the user's own authority, an authority outside health
    care or an access already running.
    """
    now = timezone.now()
    # Only a user with a relation to the child may open more of it; no relation is the same 404 as no child.
    access = policy.child_for_user(user, child, actor=actor, surface=surface, target=START_TARGET)
    # Nödåtkomst is a health-care rule (PDL): nobody but care-giving staff at a health-care authority starts one.
    if not policy.emergency.may_start(user):
        raise ValidationError(NOT_HEALTH_CARE, code="not_health_care")
    # The re-authentication must be fresh: a session left open is not enough to open secret records.
    if reauthenticated_at is None or (now - reauthenticated_at).total_seconds() > REAUTH_MAX_AGE_SECONDS:
        raise ValidationError(NEEDS_REAUTH, code="reauth")
    errors = {}
    if not reason.strip():
        errors["reason"] = NEEDS_REASON  # the reason is what the review and the family judge it by
    if owner_authority.pk in access.authority_ids:
        errors["owner_authority"] = OWN_AUTHORITY  # emergency access is only for another secrecy domain
    elif not policy.emergency.may_open(owner_authority):
        errors["owner_authority"] = NOT_HEALTH_RECORDS  # only another health-care provider's records
    if errors:
        raise ValidationError(errors)
    running = EmergencyAccess.objects.filter(
        policy.emergency_active(now), child=access.child, user=user, owner_authority=owner_authority
    )
    if running.exists():
        raise ValidationError({"owner_authority": ALREADY_ACTIVE}, code="active")
    emergency = EmergencyAccess(
        child=access.child,
        user=user,
        owner_authority=owner_authority,
        reason=reason.strip(),
        started_at=now,
        ends_at=now + timedelta(hours=emergency_hours(access.child)),
    )
    emergency.full_clean()
    emergency.save()
    _record(emergency, actor=actor, action="create", surface=surface, target=START_TARGET, reason=emergency.reason)
    from notifications import hooks

    hooks.emergency_started(emergency.pk, actor=actor, surface=surface)
    return emergency


@transaction.atomic
def emergency_access_end(
    *, user, emergency: EmergencyAccess, actor: audit.Actor, surface: str = "page"
) -> EmergencyAccess:
    """End the user's own emergency access now; ending one already over changes nothing."""
    emergency = EmergencyAccess.objects.select_for_update().get(pk=emergency.pk)
    if emergency.user_id != user.pk:
        raise PermissionError("only the holder ends an emergency access")  # views load only the user's own
    now = timezone.now()
    if emergency.ended_at is None and emergency.ends_at > now:
        emergency.ended_at = now
        emergency.full_clean()
        emergency.save(update_fields=["ended_at"])
        _record(emergency, actor=actor, action="update", surface=surface, target=END_TARGET)
    return emergency


@transaction.atomic
def emergency_access_review(
    *, reviewer, emergency: EmergencyAccess, outcome: str, note: str, actor: audit.Actor, surface: str = "page"
) -> EmergencyAccess:
    """Record a manager's judgement of an emergency access; an unjustified one still running ends at once."""
    emergency = EmergencyAccess.objects.select_for_update().get(pk=emergency.pk)
    # Only the owning authority answers for whether its secret records were rightly opened.
    if not policy.may_review_emergency(reviewer, emergency):
        raise PermissionError(str(NOT_A_REVIEWER))
    # Nobody reviews their own access: the check is worth nothing otherwise.
    if reviewer.pk == emergency.user_id:
        raise ValidationError(OWN_ACCESS, code="own")
    if emergency.review != EmergencyAccess.Review.PENDING:
        raise ValidationError(ALREADY_REVIEWED, code="reviewed")
    errors = {}
    if outcome not in (EmergencyAccess.Review.JUSTIFIED, EmergencyAccess.Review.UNJUSTIFIED):
        errors["outcome"] = NEEDS_OUTCOME
    if not note.strip():
        errors["note"] = NEEDS_NOTE
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    emergency.review = outcome
    emergency.review_note = note.strip()
    emergency.reviewed_by = reviewer
    emergency.reviewed_at = now
    fields = ["review", "review_note", "reviewed_by", "reviewed_at"]
    if outcome == EmergencyAccess.Review.UNJUSTIFIED and emergency.ended_at is None and emergency.ends_at > now:
        emergency.ended_at = now  # access found unjustified must not stay open
        fields.append("ended_at")
    emergency.full_clean()
    emergency.save(update_fields=fields)
    _record(
        emergency, actor=actor, action="update", surface=surface, target=REVIEW_TARGET, reason=emergency.review_note
    )
    return emergency
