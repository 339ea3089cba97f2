"""Writes for consents: request, answers, limits, extensions, withdrawal, cancellation and expiry.

A consent is given only when every party whose consent is required has given it: each guardian
with current custody (joint custody: both), and the child from the municipality's consent age
(alone, if the municipality so decides). Below that age, and from the view age, the child is a
party whose view is asked and recorded, not whose consent. From 18 custody has ended: the young
person alone consents, and a consent the guardians gave lapses on the 18th birthday. Any refusal makes the consent
declined: an ordinary state that limits nothing else. The policy checks each consent's period
at the moment of reading (`sharing.policy.consent_active`), so withdrawal takes effect at once
and expiry at its moment; the expiry task only tidies the records.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from audit import log as audit
from organisations.models import Authority
from people.models import Child, Guardian, Guardianship
from sharing import policy
from sharing.categories import OPEN_TO_ANY_RELATION, Category
from sharing.evidence import evidence_check, neutral_name
from sharing.models import (
    Consent,
    ConsentCategory,
    ConsentEvent,
    ConsentParty,
    FamilyNotice,
    LegalBasis,
    SharingRules,
)
from teams.models import Team

BASIS_ADMIN = "consent_admin"
BASIS_EXPIRY = "consent_expiry"
TASK_NAME = "consents_expire"
MAJORITY_TASK_NAME = "consents_custody_ended"
# The scheduled task acts as the system, not as a person.
SYSTEM_ACTOR = audit.Actor(user_id=None, username="run_due_tasks")
# Identity and named person are open to every relation already: asking consent for them would be asking for nothing.
SHAREABLE = tuple(category for category in Category if category not in OPEN_TO_ANY_RELATION)
FAMILY_BASES = frozenset({policy.Basis.GUARDIAN, policy.Basis.CHILD_SELF})

Status = Consent.Status
Decision = ConsentParty.Decision
Kind = ConsentEvent.Kind

NOT_ASKED = _(
    "Uppgifterna lämnas ändå, eftersom det finns en skyldighet att lämna dem. Då ska du inte be om samtycke: "
    "familjen kan inte säga nej på riktigt. Informera familjen om vad som lämnas, till vem och varför, och "
    "registrera att de har informerats."
)
NOT_REQUESTED = _("Samtycket väntar inte längre på svar. Ladda om sidan för att se läget.")
NO_CUSTODY = _(
    "Vårdnadshavaren har inte längre vårdnad om barnet, till exempel för att barnet har fyllt 18, och kan inte "
    "svara. Ta tillbaka begäran och be den som nu bestämmer om ett nytt samtycke."
)
NOT_IN_FORCE = _("Samtycket gäller inte längre. Ladda om sidan för att se läget.")
NEEDS_RECIPIENT = _("Välj bara myndigheter som finns i Samplan.")
NEEDS_PARTY = _("Välj en vårdnadshavare eller barnet som har lämnat samtycket.")
NO_AUTHORITY = _("Du har ingen aktuell anställning och kan inte be om samtycke. Kontakta din chef.")
NEEDS_EVIDENCE = _("Ladda upp den undertecknade blanketten eller skriv en anteckning om när och hur svaret lämnades.")
KEEP_A_CATEGORY = _(
    "Behåll minst en av de uppgifter som samtycket gäller. Vill familjen ta bort allt, återkalla samtycket."
)
NEEDS_A_RECIPIENT = _(
    "Välj minst en mottagare: en eller flera myndigheter i listan, deltagarna i barnets plan eller ett team."
)
NEEDS_ACTIVE_TEAM = _("Välj bara aktiva team i barnets kommun.")
KEEP_A_RECIPIENT = _("Behåll minst en av mottagarna. Vill familjen ta bort alla, återkalla samtycket.")
NOTHING_CHANGED = _("Ingenting ändrades. Ta bort uppgifter eller mottagare, eller välj en tidigare slutdag.")


@dataclass(frozen=True)
class Via:
    """Who acts, where and on what basis: what every audit row of a consent write needs."""

    user: User
    actor: audit.Actor
    surface: str
    target: str
    basis: str = BASIS_ADMIN


@dataclass(frozen=True)
class ChildSay:
    """What the child has to say about a consent at its age under the municipality's rules."""

    is_party: bool
    consents: bool
    alone: bool


def rules_for(child: Child) -> SharingRules:
    """Return the municipality's rules, or the documented defaults when it has set none."""
    return rules_or_default(child, rules_rows(child).first())


def rules_rows(child: Child):
    """Return the municipality's rules as a queryset (one row or none), for a page that reads them with others."""
    return SharingRules.objects.filter(municipality_id=child.municipality_id)


def rules_or_default(child: Child, rules: SharingRules | None) -> SharingRules:
    """Return the municipality's rules as read, or the documented defaults when it has set none."""
    return rules or SharingRules(municipality_id=child.municipality_id)


def child_say(child: Child, rules: SharingRules, on: date) -> ChildSay:
    """Return whether the child is asked, and whether for a view or a consent (OSL 12 kap. 3 §).

    The one rule of who decides at each age, for consents and the plan's agreement alike: the
    guardians unless `alone`, and the child when `consents`.
    """
    if child.is_expected:
        return ChildSay(is_party=False, consents=False, alone=False)
    age = policy.age_on(child.birth_date, on)
    if age >= policy.AGE_OF_MAJORITY:
        return ChildSay(is_party=True, consents=True, alone=True)  # of age: custody has ended, whatever the setting
    if age >= rules.child_consent_age:
        return ChildSay(is_party=True, consents=True, alone=rules.child_consent == SharingRules.ChildConsent.ALONE)
    return ChildSay(is_party=age >= rules.child_view_age, consents=False, alone=False)


def custodians(child: Child, on: date) -> QuerySet[Guardian]:
    """Return the guardians with custody of the child on a day (none from the 18th birthday)."""
    custody = Guardianship.objects.filter(policy.custody_in_force(on), child=child)
    return Guardian.objects.filter(pk__in=custody.values("guardian"))


def party_of(consent: Consent, user: User, on: date) -> ConsentParty | None:
    """Return the family user's own party in a consent: a guardian with custody today, or the child itself."""
    for party in consent.parties.select_related("guardian"):
        if party.is_child and consent.child.user_id == user.pk:
            return party
        if party.guardian is not None and party.guardian.user_id == user.pk:
            return party if custodians(consent.child, on).filter(pk=party.guardian_id).exists() else None
    return None


def day_start(day: date) -> datetime:
    """Return the first moment of a local day, as an aware datetime."""
    return timezone.make_aware(datetime.combine(day, time.min))


def _scope(consent: Consent) -> dict[str, Any]:
    return {
        "categories": sorted(consent.categories.values_list("category", flat=True)),
        "recipients": sorted(consent.recipients.values_list("pk", flat=True)),
        "to_plan_participants": consent.to_plan_participants,
        "teams": sorted(consent.recipient_teams.values_list("pk", flat=True)),
        "valid_until": consent.valid_until.isoformat(),
    }


def _record(via: Via, action: str, consent: Consent, *, record=None) -> None:
    record = record or consent
    audit.record(
        actor=via.actor,
        action=action,
        surface=via.surface,
        target=via.target,
        basis=via.basis,
        child_id=consent.child_id,
        record_type=type(record).__name__,
        record_id=str(record.pk),
    )


def _event(consent: Consent, kind: str, via: Via | None, *, at: datetime | None = None, **details: Any) -> None:
    ConsentEvent.objects.create(
        consent=consent, kind=kind, at=at or timezone.now(), by=via.user if via else None, details=details
    )


def _recipient_errors(
    child: Child, owner_authority: Authority, recipients, to_plan_participants: bool, teams
) -> dict[str, list]:
    if not recipients and not to_plan_participants and not teams:
        return {"recipients": [NEEDS_A_RECIPIENT]}
    if any(not team.active or team.municipality_id != child.municipality_id for team in teams):
        return {"teams": [NEEDS_ACTIVE_TEAM]}  # a team reaches no one once inactive; another municipality's, never
    if any(recipient.pk == owner_authority.pk for recipient in recipients):
        return {"recipients": [_("Din egen myndighet har redan uppgifterna. Välj bara andra myndigheter.")]}
    return {}


def _validate_scope(
    *,
    child: Child,
    owner_authority: Authority,
    purpose: str,
    categories: Iterable[str],
    recipients: Iterable[Authority],
    to_plan_participants: bool,
    valid_from: datetime,
    valid_until: datetime,
    teams: Iterable[Team] = (),
) -> None:
    errors: dict[str, list] = {}
    if not purpose.strip():
        errors["purpose"] = [_("Skriv syftet: vad uppgifterna ska användas till, med enkla ord.")]
    if not categories:
        errors["categories"] = [_("Välj minst en sorts uppgifter som samtycket ska gälla.")]
    elif not set(categories) <= set(SHAREABLE):
        errors["categories"] = [_("Välj bara bland de uppgifter som finns i listan.")]
    errors.update(_recipient_errors(child, owner_authority, recipients, to_plan_participants, teams))
    if valid_from < day_start(timezone.localdate()):
        errors["valid_from"] = [_("Samtycket kan inte gälla bakåt i tiden. Välj i dag eller en senare dag.")]
    if valid_until <= max(valid_from, timezone.now()):
        errors["valid_until"] = [_("Slutdagen måste komma efter startdagen och efter i dag.")]
    else:
        longest = rules_for(child).consent_max_days
        if valid_until - valid_from > timedelta(days=longest):
            errors["valid_until"] = [
                _("Ett samtycke får gälla högst %(days)d dagar. Välj en tidigare slutdag.") % {"days": longest}
            ]
    if errors:
        raise ValidationError(errors)


def _parties(child: Child, on: date) -> list[ConsentParty]:
    say = child_say(child, rules_for(child), on)
    parties = []
    if not say.alone:
        # Joint custody: each guardian with custody must consent (FB 6 kap. 13 §); none may answer for the other.
        parties += [ConsentParty(guardian=guardian) for guardian in custodians(child, on)]
    if say.is_party:
        parties.append(ConsentParty(is_child=True, decision=Decision.PENDING if say.consents else Decision.VIEW_ONLY))
    if not any(party.decision == Decision.PENDING for party in parties):
        raise ValidationError(
            _(
                "Ingen kan lämna samtycke för barnet: ingen vårdnadshavare med vårdnad är registrerad. Kontrollera "
                "vårdnadsuppgifterna innan du ber om samtycke."
            ),
            code="no_party",
        )
    return parties


@transaction.atomic
def consent_request(
    *,
    child: Child,
    owner_authority: Authority,
    purpose: str,
    categories: Iterable[str],
    recipients: Iterable[Authority],
    valid_from: datetime,
    valid_until: datetime,
    via: Via,
    to_plan_participants: bool = False,
    teams: Iterable[Team] = (),
    shared_under_duty: bool = False,
    replaces: Consent | None = None,
) -> Consent:
    """Ask the child's guardians (and the child, by age) for consent to share categories with authorities.

    The recipients are the named authorities, with `to_plan_participants` the authorities taking part
    in the child's open plan, and the authorities the current members of `teams` take part for, both
    at each moment the information is read.
    """
    if shared_under_duty:
        # Inform, don't ask: consent to a share that happens anyway is no real choice (DOMAIN.md A7).
        raise ValidationError(NOT_ASKED, code="duty")
    if not policy.memberships(via.user).filter(unit__authority=owner_authority).exists():
        raise PermissionDenied("only staff of the owning authority may ask for its consent")
    categories, recipients = sorted(set(categories)), list({r.pk: r for r in recipients}.values())
    teams = list({team.pk: team for team in teams}.values())
    scope = {
        "categories": categories,
        "recipients": recipients,
        "to_plan_participants": to_plan_participants,
        "teams": teams,
        "valid_from": valid_from,
        "valid_until": valid_until,
    }
    _validate_scope(child=child, owner_authority=owner_authority, purpose=purpose, **scope)
    parties = _parties(child, timezone.localdate())
    consent = Consent(
        child=child,
        owner_authority=owner_authority,
        requested_by=via.user,
        purpose=purpose.strip(),
        to_plan_participants=to_plan_participants,
        valid_from=valid_from,
        valid_until=valid_until,
        replaces=replaces,
    )
    consent.full_clean()
    consent.save()
    consent.recipients.set(recipients)
    consent.recipient_teams.set(teams)
    for category in categories:
        row = ConsentCategory(consent=consent, category=category)
        row.full_clean()
        row.save()
    for party in parties:
        party.consent = consent
        party.full_clean()
        party.save()
    _event(consent, Kind.REQUESTED, via, **_scope(consent))
    _record(via, "create", consent)
    from notifications import hooks

    hooks.consent_requested(consent.pk, actor=via.actor, surface=via.surface)
    return consent


def _locked(consent: Consent) -> Consent:
    return Consent.objects.select_for_update(of=("self",)).select_related("child", "replaces").get(pk=consent.pk)


def _check_answer(consent: Consent, party: ConsentParty, decision: str, view: str) -> None:
    if consent.status != Status.REQUESTED or consent.valid_until <= timezone.now():
        raise ValidationError(NOT_REQUESTED, code="not_requested")
    if party.consent_id != consent.pk:
        raise PermissionDenied("the party belongs to another consent")
    if party.decided_at is not None:
        raise ValidationError(_("Det här svaret är redan lämnat. Ladda om sidan för att se läget."), code="answered")
    if party.decision == Decision.VIEW_ONLY:
        if not view.strip():
            raise ValidationError({"view": [_("Skriv barnets inställning med barnets egna ord.")]})
    elif decision not in (Decision.GIVEN, Decision.DECLINED):
        raise ValidationError({"decision": [_("Välj om samtycke lämnas eller inte.")]})


def _answer(consent: Consent, party: ConsentParty, *, decision: str, view: str, via: Via, method: str) -> None:
    if party.decision != Decision.VIEW_ONLY:
        party.decision = decision
    party.view = view.strip()
    party.method = method
    party.decided_at = timezone.now()
    party.full_clean()
    party.save()
    _event(
        consent,
        Kind.ANSWERED,
        via,
        party=party.pk,
        decision=party.decision,
        method=method,
        documented_by=party.documented_by_id,
    )
    _record(via, "update", consent, record=party)
    _settle(consent, via)


def _settle(consent: Consent, via: Via) -> None:
    """Decide the consent once its required parties have answered: any refusal declines, all yeses give."""
    required = [party for party in consent.parties.all() if party.decision != Decision.VIEW_ONLY]
    if any(party.decision == Decision.DECLINED for party in required):
        # An ordinary state: no flag, no warning, and it changes nothing else for the child.
        consent.status = Status.DECLINED
        consent.ended_at = timezone.now()
        consent.save(update_fields=["status", "ended_at"])
        _event(consent, Kind.DECLINED, via)
        _record(via, "update", consent)
    elif all(party.decision == Decision.GIVEN for party in required):
        consent.status = Status.GIVEN
        consent.save(update_fields=["status"])
        _event(consent, Kind.GIVEN, via)
        _record(via, "update", consent)
        old = consent.replaces
        if old is not None and old.status == Status.GIVEN:
            # The extended consent stood until now; from the moment the new one is given it replaces it.
            old = _locked(old)
            old.status = Status.SUPERSEDED
            old.ended_at = timezone.now()
            old.save(update_fields=["status", "ended_at"])
            _event(old, Kind.EXTENDED, via, superseded_by=consent.pk)
            _record(via, "update", old)


@transaction.atomic
def consent_record_answer(
    *,
    consent: Consent,
    party: ConsentParty,
    decision: str,
    method: str,
    via: Via,
    evidence: UploadedFile | None = None,
    evidence_note: str = "",
    view: str = "",
) -> ConsentParty:
    """Document a party's written or oral answer, with an uploaded form (PDF, JPEG or PNG up to 10 MB) or a note."""
    if evidence is not None:
        try:
            evidence_check(evidence)
        except ValidationError as exc:
            raise ValidationError({"evidence": exc.error_list}) from exc
    consent = _locked(consent)
    party = ConsentParty.objects.select_for_update().get(pk=party.pk)
    _check_answer(consent, party, decision, view)
    if party.guardian_id is not None and not custodians(consent.child, timezone.localdate()).filter(
        pk=party.guardian_id
    ):
        raise ValidationError(NO_CUSTODY, code="no_custody")  # custody has ended, at 18 or by a decision
    if method not in (ConsentParty.Method.WRITTEN, ConsentParty.Method.ORAL):
        raise ValidationError({"method": [_("Välj om svaret lämnades skriftligt eller muntligt.")]})
    if evidence is None and not evidence_note.strip():
        raise ValidationError({"evidence_note": [NEEDS_EVIDENCE]})
    party.documented_by = via.user
    party.evidence_note = evidence_note.strip()
    if evidence is not None:
        evidence.name = neutral_name(evidence)  # the uploaded name often holds the family's names
        party.evidence = evidence
    _answer(consent, party, decision=decision, view=view, via=via, method=method)
    return party


@transaction.atomic
def consent_answer(*, consent: Consent, decision: str, via: Via, view: str = "") -> ConsentParty:
    """Record the family user's own answer (or, for a younger child, view) given in the family view."""
    consent = _locked(consent)
    party = party_of(consent, via.user, timezone.localdate())
    if party is None:
        raise PermissionDenied("the user is not a party of this consent")
    party = ConsentParty.objects.select_for_update().get(pk=party.pk)
    _check_answer(consent, party, decision, view)
    _answer(consent, party, decision=decision, view=view, via=via, method=ConsentParty.Method.DIGITAL)
    return party


def _check_in_force(consent: Consent) -> None:
    if (
        consent.status != Status.GIVEN
        or consent.valid_until <= timezone.now()
        or policy.consent_lapsed_at_majority(consent, timezone.localdate())
    ):
        raise ValidationError(NOT_IN_FORCE, code="not_in_force")


@transaction.atomic
def consent_limit(
    *,
    consent: Consent,
    categories: Iterable[str],
    recipients: Iterable[Authority],
    valid_until: datetime,
    via: Via,
    to_plan_participants: bool | None = None,
    teams: Iterable[Team] | None = None,
) -> Consent:
    """Narrow a consent in force at once: fewer categories or recipients, or an earlier end.

    `to_plan_participants` False takes the plan's participants away; None leaves them as they are.
    `teams` are the recipient teams kept (never a new one); None keeps them all.
    """
    consent = _locked(consent)
    _check_in_force(consent)
    before = _scope(consent)
    categories = sorted(set(categories))
    recipient_ids = sorted({recipient.pk for recipient in recipients})
    to_plan = before["to_plan_participants"] if to_plan_participants is None else to_plan_participants
    team_ids = before["teams"] if teams is None else sorted({team.pk for team in teams})
    errors: dict[str, list] = {}
    if not categories or not set(categories) <= set(before["categories"]):
        errors["categories"] = [KEEP_A_CATEGORY]
    if (
        not (recipient_ids or to_plan or team_ids)  # no recipient left: that is a withdrawal
        or not set(recipient_ids) <= set(before["recipients"])  # a limit never adds a named authority ...
        or to_plan > before["to_plan_participants"]  # ... nor the plan's participants ...
        or not set(team_ids) <= set(before["teams"])  # ... nor a team
    ):
        errors["recipients"] = [KEEP_A_RECIPIENT]
    if valid_until > consent.valid_until or valid_until <= timezone.now():
        errors["valid_until"] = [_("Välj en slutdag efter i dag och senast samtyckets nuvarande slutdag.")]
    if not errors and (categories, recipient_ids, to_plan, team_ids, valid_until) == (
        before["categories"],
        before["recipients"],
        before["to_plan_participants"],
        before["teams"],
        consent.valid_until,
    ):
        errors["categories"] = [NOTHING_CHANGED]
    if errors:
        raise ValidationError(errors)
    consent.valid_until = valid_until
    consent.to_plan_participants = to_plan
    consent.full_clean()
    consent.save(update_fields=["valid_until", "to_plan_participants"])
    consent.categories.exclude(category__in=categories).delete()
    consent.recipients.set(recipient_ids)
    consent.recipient_teams.set(team_ids)
    _event(consent, Kind.LIMITED, via, before=before, after=_scope(consent))
    _record(via, "update", consent)
    return consent


@transaction.atomic
def consent_extend(
    *,
    consent: Consent,
    categories: Iterable[str],
    recipients: Iterable[Authority],
    valid_until: datetime,
    via: Via,
    to_plan_participants: bool | None = None,
    teams: Iterable[Team] | None = None,
) -> Consent:
    """Ask for a wider or longer consent; the old one stands until the new one is given, then is superseded.

    `to_plan_participants` True adds the plan's participants; None keeps them as they are. `teams`
    are all the recipient teams of the new consent (the old ones and any added); None keeps them.
    """
    consent = _locked(consent)
    _check_in_force(consent)
    if Consent.objects.filter(replaces=consent, status=Status.REQUESTED).exists():
        raise ValidationError(
            _("En förlängning väntar redan på svar. Vänta på svaret eller ta tillbaka den begäran först."),
            code="pending",
        )
    before = _scope(consent)
    categories = sorted(set(categories))
    recipients = list(recipients)
    to_plan = before["to_plan_participants"] if to_plan_participants is None else to_plan_participants
    teams = list(consent.recipient_teams.all()) if teams is None else list(teams)
    team_ids = {team.pk for team in teams}
    errors: dict[str, list] = {}
    if not set(before["categories"]) <= set(categories):
        errors["categories"] = [_("En förlängning behåller alla uppgifter. Vill du ta bort någon, begränsa samtycket.")]
    if (
        not set(before["recipients"]) <= {recipient.pk for recipient in recipients}
        or to_plan < before["to_plan_participants"]
        or not set(before["teams"]) <= team_ids
    ):
        errors["recipients"] = [_("En förlängning behåller alla mottagare. Vill du ta bort någon, begränsa samtycket.")]
    wider = (
        set(categories) > set(before["categories"])
        or len({r.pk for r in recipients}) > len(before["recipients"])
        or to_plan > before["to_plan_participants"]
        or len(team_ids) > len(before["teams"])
    )
    if not errors and not wider and valid_until <= consent.valid_until:
        errors["valid_until"] = [_("Välj en senare slutdag, eller lägg till uppgifter eller mottagare.")]
    if errors:
        raise ValidationError(errors)
    new = consent_request(
        child=consent.child,
        owner_authority=consent.owner_authority,
        purpose=consent.purpose,
        categories=categories,
        recipients=recipients,
        to_plan_participants=to_plan,
        teams=teams,
        valid_from=timezone.now(),
        valid_until=valid_until,
        via=via,
        replaces=consent,
    )
    _event(consent, Kind.EXTENDED, via, extension=new.pk)
    return new


@transaction.atomic
def consent_withdraw(*, consent: Consent, via: Via, party: ConsentParty | None = None, note: str = "") -> Consent:
    """Withdraw a consent with immediate effect: by a party in the family view, or by staff on a party's word."""
    consent = _locked(consent)
    if via.basis in FAMILY_BASES:
        party = party_of(consent, via.user, timezone.localdate())
    if party is None or party.consent_id != consent.pk or party.decision == Decision.VIEW_ONLY:
        raise PermissionDenied("only a consenting party, or staff on a party's word, may withdraw")
    if consent.status != Status.GIVEN:
        raise ValidationError(NOT_IN_FORCE, code="not_in_force")
    consent.status = Status.WITHDRAWN
    consent.ended_at = timezone.now()
    consent.ended_by = via.user
    consent.end_note = note.strip()
    consent.full_clean()
    consent.save(update_fields=["status", "ended_at", "ended_by", "end_note"])
    _event(consent, Kind.WITHDRAWN, via, party=party.pk)
    _record(via, "update", consent)
    # A pending extension of a withdrawn consent would reopen what the family just closed.
    for pending in Consent.objects.select_for_update().filter(replaces=consent, status=Status.REQUESTED):
        _cancel(pending, via)
    return consent


def _cancel(consent: Consent, via: Via) -> None:
    consent.status = Status.CANCELLED
    consent.ended_at = timezone.now()
    consent.ended_by = via.user
    consent.save(update_fields=["status", "ended_at", "ended_by"])
    _event(consent, Kind.CANCELLED, via)
    _record(via, "update", consent)


@transaction.atomic
def consent_cancel(*, consent: Consent, via: Via) -> Consent:
    """Take back a request nobody has fully answered yet."""
    consent = _locked(consent)
    if consent.status != Status.REQUESTED:
        raise ValidationError(NOT_REQUESTED, code="not_requested")
    _cancel(consent, via)
    return consent


# Grounds on which information is shared whatever the family says: never ask for consent then, inform instead.
DUTY_BASES = (LegalBasis.DUTY_TO_INFORM, LegalBasis.POLICE_UNDER_21, LegalBasis.NECESSARY_DISCLOSURE)


@transaction.atomic
def family_notice_record(
    *, child: Child, owner_authority: Authority, legal_basis: str, what: str, informed_how: str, via: Via
) -> FamilyNotice:
    """Record that the family was told of a share that happens under a duty, instead of asking for consent."""
    if not policy.memberships(via.user).filter(unit__authority=owner_authority).exists():
        raise PermissionDenied("only staff of the sharing authority may record its notice")
    errors: dict[str, list] = {}
    if legal_basis not in DUTY_BASES:
        errors["legal_basis"] = [_("Välj den skyldighet som gör att uppgifterna lämnas.")]
    if not what.strip():
        errors["what"] = [_("Skriv vad som lämnas, till vem och varför, med enkla ord.")]
    if not informed_how.strip():
        errors["informed_how"] = [_("Skriv hur och när familjen fick veta, till exempel ”muntligt vid möte 3 maj”.")]
    if errors:
        raise ValidationError(errors)
    notice = FamilyNotice(
        child=child,
        owner_authority=owner_authority,
        legal_basis=legal_basis,
        what=what.strip(),
        informed_how=informed_how.strip(),
        created_by=via.user,
    )
    notice.full_clean()
    notice.save()
    audit.record(
        actor=via.actor,
        action="create",
        surface=via.surface,
        target=via.target,
        basis=via.basis,
        child_id=child.pk,
        record_type="FamilyNotice",
        record_id=str(notice.pk),
    )
    return notice


def consents_expire(*, on: date) -> int:
    """Mark given consents whose period ended by the end of a day (or now, if sooner) as expired; idempotent."""
    at = min(timezone.now(), day_start(on + timedelta(days=1)))
    via = Via(user=None, actor=SYSTEM_ACTOR, surface="task", target=TASK_NAME, basis=BASIS_EXPIRY)
    count = 0
    with audit.deferred():
        for consent in Consent.objects.select_for_update().filter(status=Status.GIVEN, valid_until__lte=at):
            consent.status = Status.EXPIRED
            consent.ended_at = consent.valid_until
            consent.save(update_fields=["status", "ended_at"])
            _event(consent, Kind.EXPIRED, None, at=consent.valid_until)
            _record(via, "update", consent)
            count += 1
    return count


def consents_end_at_majority(*, on: date) -> int:
    """Mark given consents the guardians gave for a child who is 18 on a day as ended by custody; idempotent.

    The policy stopped them opening anything on the 18th birthday; this writes it down, and the
    consent pages ask the asking authority to renew it with the young person.
    """
    cutoff = policy.majority_cutoff(on)
    via = Via(user=None, actor=SYSTEM_ACTOR, surface="task", target=MAJORITY_TASK_NAME, basis=BASIS_EXPIRY)
    by_guardians = ConsentParty.objects.filter(consent=OuterRef("pk"), guardian__isnull=False)
    # EXISTS rather than a join, so no row repeats and PostgreSQL can lock the rows (no DISTINCT with FOR UPDATE).
    lapsed = Consent.objects.select_for_update(of=("self",)).filter(
        Exists(by_guardians), status=Status.GIVEN, child__birth_date__lte=cutoff
    )
    count = 0
    with audit.deferred():
        for consent in lapsed.select_related("child"):
            birthday = day_start(policy.majority_day(consent.child.birth_date))
            consent.status = Status.CUSTODY_ENDED
            consent.ended_at = min(birthday, timezone.now())
            consent.save(update_fields=["status", "ended_at"])
            _event(consent, Kind.CUSTODY_ENDED, None, at=consent.ended_at)
            _record(via, "update", consent)
            count += 1
    return count
