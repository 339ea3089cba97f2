"""Disclosure decisions: sharing without consent as the law allows, and recorded refusals (reasons for not sharing).

A manager of the owning authority decides, per child, to disclose (under a legal basis) or not
to disclose categories of that authority's information to named authorities for a limited
period, with why it is necessary, relevant and proportionate. The policy (`disclosure_active`)
opens records only on a disclose decision in force; a refusal opens nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit import log as audit
from organisations.models import Authority
from sharing import policy
from sharing.categories import OPEN_TO_ANY_RELATION, Category
from sharing.models import DisclosureCategory, DisclosureDecision, LegalBasis

DEFAULT_DAYS = 30
# Identity and named person are open to any relation already; there is nothing to decide on them.
DECIDABLE_CATEGORIES = [(value, label) for value, label in Category.choices if value not in OPEN_TO_ANY_RELATION]

NOT_A_DECIDER = _("Bara en chef vid myndigheten som äger uppgifterna kan fatta beslut om utlämnande.")
NEEDS_OUTCOME = _("Välj om uppgifterna ska lämnas ut eller inte.")
NEEDS_BASIS = _("Välj den rättsliga grunden för utlämnandet.")
NEEDS_CATEGORIES = _("Välj minst en kategori av uppgifter.")
NEEDS_RECIPIENTS = _("Välj minst en mottagande myndighet.")
OWN_RECIPIENT = _("Välj andra myndigheter än den som äger uppgifterna.")
NEEDS_END = _("Välj ett slutdatum efter i dag. Ett beslut gäller alltid en begränsad tid.")
NEEDS_TEXT = _("Fyll i det här fältet. Beslutet ska motiveras.")
NOT_REVOCABLE = _("Beslutet gäller inte längre och kan inte återkallas.")


def end_of(day: date) -> datetime:
    """Return the first moment after a day in local time (valid_until is exclusive)."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def _record(decision: DisclosureDecision, *, access, actor, action: str, surface: str, target: str) -> None:
    audit.record(
        actor=actor,
        action=action,
        surface=surface,
        target=target,
        basis=access.basis,
        child_id=decision.child_id,
        record_type="DisclosureDecision",
        record_id=str(decision.pk),
    )


def _decision_errors(
    *,
    owner_authority: Authority,
    outcome: str,
    legal_basis: str,
    categories: list[str],
    recipients: list[Authority],
    texts: dict[str, str],
    valid_until: date,
) -> dict[str, list]:
    errors: dict[str, list] = {}
    if outcome not in DisclosureDecision.Outcome.values:
        errors["outcome"] = [NEEDS_OUTCOME]
    if outcome == DisclosureDecision.Outcome.DISCLOSE and legal_basis not in LegalBasis.values:
        errors["legal_basis"] = [NEEDS_BASIS]  # a refusal needs no legal basis; a disclosure always does
    if not categories or not set(categories) <= {value for value, _label in DECIDABLE_CATEGORIES}:
        errors["categories"] = [NEEDS_CATEGORIES]
    if not recipients:
        errors["recipients"] = [NEEDS_RECIPIENTS]
    elif any(recipient.pk == owner_authority.pk for recipient in recipients):
        errors["recipients"] = [OWN_RECIPIENT]
    for name, text in texts.items():
        if not text.strip():
            errors[name] = [NEEDS_TEXT]
    if valid_until <= timezone.localdate():
        errors["valid_until"] = [NEEDS_END]
    return errors


@transaction.atomic
def disclosure_decide(
    *,
    access: policy.ChildAccess,
    user,
    owner_authority: Authority,
    outcome: str,
    legal_basis: str,
    categories: Iterable[str],
    recipients: Iterable[Authority],
    purpose: str,
    necessary: str,
    relevant: str,
    proportionate: str,
    valid_until: date,
    actor: audit.Actor,
    surface: str,
    target: str,
) -> DisclosureDecision:
    """Record a decision to disclose, or not to disclose, the owning authority's information about a child."""
    if not policy.deciding_authorities(user).filter(pk=owner_authority.pk).exists():
        raise PermissionDenied(NOT_A_DECIDER)
    categories = sorted(set(categories))
    recipients = list({recipient.pk: recipient for recipient in recipients}.values())
    texts = {"purpose": purpose, "necessary": necessary, "relevant": relevant, "proportionate": proportionate}
    errors = _decision_errors(
        owner_authority=owner_authority,
        outcome=outcome,
        legal_basis=legal_basis,
        categories=categories,
        recipients=recipients,
        texts=texts,
        valid_until=valid_until,
    )
    if errors:
        raise ValidationError(errors)
    decision = DisclosureDecision(
        child=access.child,
        owner_authority=owner_authority,
        outcome=outcome,
        legal_basis=legal_basis if legal_basis in LegalBasis.values else "",
        purpose=purpose.strip(),
        necessary=necessary.strip(),
        relevant=relevant.strip(),
        proportionate=proportionate.strip(),
        valid_from=timezone.now(),
        valid_until=end_of(valid_until),
        decided_by=user,
    )
    decision.full_clean()
    decision.save()
    decision.recipients.set(recipients)
    DisclosureCategory.objects.bulk_create(
        [DisclosureCategory(decision=decision, category=category) for category in categories]
    )
    _record(decision, access=access, actor=actor, action="create", surface=surface, target=target)
    return decision


def is_revocable(decision: DisclosureDecision, *, at: datetime | None = None) -> bool:
    """Return whether a decision still opens something that revoking would close."""
    at = at or timezone.now()
    return (
        decision.outcome == DisclosureDecision.Outcome.DISCLOSE
        and decision.revoked_at is None
        and decision.valid_until > at
    )


@transaction.atomic
def disclosure_revoke(
    *, access: policy.ChildAccess, decision: DisclosureDecision, user, actor: audit.Actor, surface: str, target: str
) -> DisclosureDecision:
    """Revoke a disclose decision before its end; the policy closes what it opened at once."""
    if not policy.deciding_authorities(user).filter(pk=decision.owner_authority_id).exists():
        raise PermissionDenied(NOT_A_DECIDER)
    decision = DisclosureDecision.objects.select_for_update().get(pk=decision.pk)
    if not is_revocable(decision):
        raise ValidationError(NOT_REVOCABLE)
    decision.revoked_at = timezone.now()
    decision.revoked_by = user
    decision.full_clean()
    decision.save(update_fields=["revoked_at", "revoked_by"])
    _record(decision, access=access, actor=actor, action="update", surface=surface, target=target)
    return decision
