"""Reads of consents for staff and family pages: rows with their parties, history and expiry warnings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Prefetch, Q, QuerySet, prefetch_related_objects
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from core.batch import Batch, at_once
from core.batch import attach as batch_attach
from organisations.models import Authority
from sharing import holdings, policy
from sharing.categories import CATEGORY_CONTENTS, Category
from sharing.models import Consent, ConsentCategory, ConsentEvent, ConsentParty, SharingRules
from sharing.services import consents as services
from teams.models import Team

Status = Consent.Status
PLAN_PARTICIPANTS = _("Deltagarna i barnets plan")
PLAN_PARTICIPANTS_IN_LINE = _("deltagarna i barnets plan")  # the same, within a list of recipients


@dataclass(frozen=True)
class TeamRecipient:
    """A team a consent names, and the other authorities its current members take part for today."""

    pk: int
    name: str
    # While the consent waits or is in force: the authorities reached through the team today; else None.
    today: list[str] | None = None

    @property
    def label(self) -> str:
        return str(_("teamet %(name)s") % {"name": self.name})


@dataclass(frozen=True)
class PartyRow:
    party: ConsentParty
    name: str
    answer: str | Promise
    answered: bool
    view_only: bool


@dataclass(frozen=True)
class ConsentRow:
    consent: Consent
    state: str | Promise
    in_force: bool
    waiting: bool
    expiring_soon: bool
    last_day: datetime
    categories: list[str]
    recipients: list[str]
    parties: list[PartyRow]
    events: list[ConsentEvent]
    to_plan_participants: bool = False
    # The guardians gave it and the child has turned 18: it lapsed that day, and is to be renewed with the young person.
    needs_renewal: bool = False
    # The authorities "the plan's participants" means today, while the consent waits or is in force; else None.
    plan_recipients: list[str] | None = None
    teams: list[TeamRecipient] = field(default_factory=list)
    # Each category the consent opens (in the order of Category) with the authorities holding such records today.
    held_by: list[tuple[str, list[str]]] = field(default_factory=list)
    # The same in words, one sentence per category.
    held: list[str] = field(default_factory=list)
    # True when the holders were limited to those the staff user may read (`holdings.held_by` with an access).
    held_for_staff: bool = False
    # The authorities that may read what it opens today, while the consent waits or is in force; else None.
    readers: list[str] | None = None

    @property
    def recipient_labels(self) -> list[str | Promise]:
        """Name every recipient in a line: the named authorities, the plan's participants if covered, the teams."""
        return [
            *self.recipients,
            *([PLAN_PARTICIPANTS_IN_LINE] if self.to_plan_participants else []),
            *(team.label for team in self.teams),
        ]


def party_label(party: ConsentParty) -> str:
    """Name a party for staff: the guardian, or the child."""
    return str(party.guardian) if party.guardian_id else str(_("Barnet själv"))


ROW_JOINS = ("owner_authority", "requested_by", "child")


def row_prefetches() -> tuple:
    """Return the related rows a consent row shows, to prefetch."""
    return (
        "categories",
        "recipients",
        "recipient_teams",
        Prefetch("parties", queryset=ConsentParty.objects.select_related("guardian").order_by("is_child", "pk")),
        Prefetch("events", queryset=ConsentEvent.objects.select_related("by").order_by("at", "pk")),
    )


def with_details(consents: QuerySet[Consent]) -> QuerySet[Consent]:
    """Return the consents with everything a row shows, in a fixed number of queries."""
    return consents.select_related(*ROW_JOINS).prefetch_related(*row_prefetches())


def _state(consent: Consent, now: datetime, lapsed: bool) -> str | Promise:
    if consent.status == Status.GIVEN and consent.valid_until <= now:
        return Status.EXPIRED.label  # ended at its moment; the scheduled task only writes it down later
    if consent.status == Status.GIVEN and lapsed:
        return Status.CUSTODY_ENDED.label  # ended on the 18th birthday; likewise written down later
    return consent.get_status_display()


def plan_recipients(child) -> Callable[[Consent], list[str]]:
    """Return a function naming, for a consent, the other authorities taking part in the child's open plan today.

    The authorities are loaded once, and only when one of the consents is given to the plan's participants.
    """
    names: dict[int, str] | None = None

    def today(consent: Consent) -> list[str]:
        nonlocal names
        if names is None:
            names = dict(policy.plan_authorities(child).values_list("pk", "name"))
        # The asking authority has its own information already; it is no recipient of it.
        return sorted(name for pk, name in names.items() if pk != consent.owner_authority_id)

    return today


def team_recipients() -> Callable[[Consent, bool], list[TeamRecipient]]:
    """Return a function listing a consent's teams, with the authorities each reaches today when `current`.

    Each team's authorities are loaded once, and only for a consent that waits or is in force.
    """
    names: dict[int, dict[int, str]] = {}

    def teams(consent: Consent, current: bool) -> list[TeamRecipient]:
        rows = []
        for team in sorted(consent.recipient_teams.all(), key=lambda team: (team.name, team.pk)):
            if not current:
                rows.append(TeamRecipient(pk=team.pk, name=team.name))
                continue
            if team.pk not in names:
                names[team.pk] = dict(policy.team_authorities(team).values_list("pk", "name"))
            # The asking authority has its own information already; it is no recipient of it.
            today = sorted(name for pk, name in names[team.pk].items() if pk != consent.owner_authority_id)
            rows.append(TeamRecipient(pk=team.pk, name=team.name, today=today))
        return rows

    return teams


def _and(names: list[str]) -> str:
    """Join names as a sentence does: "A", "A och B", "A, B och C"."""
    if len(names) < 2:
        return "".join(names)
    return str(_("%(first)s och %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]})


def held_sentences(held_by: list[tuple[str, list[str]]], *, for_staff: bool) -> list[str]:
    """Say, for each category a consent opens, which authorities hold such records of the child today."""
    sentences = []
    for category, holders in held_by:
        contents = CATEGORY_CONTENTS[Category(category)]
        if holders:
            sentence = _("%(contents)s som %(holders)s har") % {"contents": contents, "holders": _and(holders)}
        elif for_staff:
            # Staff learn only the holders whose records they may read: others may hold some all the same.
            sentence = _("%(contents)s: inga uppgifter som du kan se") % {"contents": contents}
        else:
            sentence = _("%(contents)s: inga uppgifter ännu") % {"contents": contents}
        sentences.append(str(sentence))
    return sentences


def _readers(recipients: list[str], plan_today: list[str] | None, teams: list[TeamRecipient]) -> list[str]:
    """Name every authority that may read what a consent opens today: named, in the plan, in a team."""
    return sorted({*recipients, *(plan_today or []), *(name for team in teams for name in team.today or [])})


def consent_row(
    consent: Consent,
    *,
    now: datetime,
    warning_days: int,
    plan_today: Callable[[Consent], list[str]] | None = None,
    teams_today: Callable[[Consent, bool], list[TeamRecipient]] | None = None,
    held: dict[str, list[str]] | None = None,
    held_for_staff: bool = False,
) -> ConsentRow:
    """Return a consent as its pages show it; `held` (from `holdings.held_by`) says who holds what it opens."""
    lapsed = policy.consent_lapsed_at_majority(consent, timezone.localdate(now))
    in_force = consent.status == Status.GIVEN and consent.valid_from <= now < consent.valid_until and not lapsed
    waiting = consent.status == Status.REQUESTED and consent.valid_until > now
    categories = [row.category for row in consent.categories.all()]
    recipients = sorted(recipient.name for recipient in consent.recipients.all())
    plan_names = (
        (plan_today or plan_recipients(consent.child_id))(consent)
        if consent.to_plan_participants and (in_force or waiting)
        else None
    )
    teams = (teams_today or team_recipients())(consent, in_force or waiting)
    order = list(Category)
    opened = sorted(categories, key=lambda category: order.index(Category(category)))
    held_by = [(category, held.get(category, [])) for category in opened] if held is not None else []
    return ConsentRow(
        consent=consent,
        state=_state(consent, now, lapsed),
        in_force=in_force,
        needs_renewal=lapsed and consent.status in (Status.GIVEN, Status.CUSTODY_ENDED) and consent.valid_until > now,
        waiting=waiting,
        expiring_soon=in_force and consent.valid_until - now <= timedelta(days=warning_days),
        last_day=timezone.localtime(consent.valid_until - timedelta(microseconds=1)),
        categories=[Category(category).label for category in categories],
        recipients=recipients,
        parties=[
            PartyRow(
                party=party,
                name=party_label(party),
                answer=party.get_decision_display() if party.decision != party.Decision.VIEW_ONLY else party.view,
                answered=party.decided_at is not None,
                view_only=party.decision == party.Decision.VIEW_ONLY,
            )
            for party in consent.parties.all()
        ],
        events=list(consent.events.all()),
        to_plan_participants=consent.to_plan_participants,
        plan_recipients=plan_names,
        teams=teams,
        held_by=held_by,
        held=held_sentences(held_by, for_staff=held_for_staff),
        held_for_staff=held_for_staff,
        readers=_readers(recipients, plan_names, teams) if in_force or waiting else None,
    )


def consent_rows(consents, *, access: policy.ChildAccess) -> list[ConsentRow]:
    """Return the consents as a staff page shows them, saying who holds what each opens as far as the user may know."""
    consents = list(consents)
    if not consents:
        return []
    child = access.child
    warning_days = services.rules_for(child).expiry_warning_days
    now = timezone.now()
    plan_today, teams_today = plan_recipients(child), team_recipients()
    held = holdings.held_by(child, access=access)  # loaded once for all the rows
    return [
        consent_row(
            consent,
            now=now,
            warning_days=warning_days,
            plan_today=plan_today,
            teams_today=teams_today,
            held=held,
            held_for_staff=True,
        )
        for consent in consents
    ]


@dataclass(frozen=True)
class ConsentSummary:
    active: list[ConsentRow]
    waiting: int
    warning_days: int | None  # None when no consent is in force (nothing to warn about)


def consent_summary(access: policy.ChildAccess) -> ConsentSummary:
    """Return what may be shared with whom until when, for the child's overview: the user's visible consents."""
    return at_once(lambda batch: summary_reads(access, batch))


def summary_reads(access: policy.ChildAccess, batch: Batch) -> Callable[[], ConsentSummary]:
    """Add the summary's first read to a batch; return what builds the summary once the batch has run.

    One read finds the visible consents in force and the requests still waiting; only the consents in
    force are then loaded with their details (and the municipality's warning days), so a child
    without consents costs no query of its own beyond the batch.
    """
    now = timezone.now()
    waiting_request = Q(status=Status.REQUESTED, valid_until__gt=now)
    visible = policy.consents_for(access).filter(policy.consent_active(now) | waiting_request)
    shown = batch.add(visible.select_related(*ROW_JOINS).order_by("valid_until", "pk"))
    rules = batch.first(services.rules_rows(access.child))

    def finish() -> ConsentSummary:
        return _summary(access, shown.value, now, batched=True, rules=rules.value)

    return finish


def load_details(consents: list[Consent]) -> None:
    """Load what a consent row shows (`row_prefetches`) for the consents in one statement (`core.batch`).

    The same rows in the same order as `prefetch_related_objects(consents, *row_prefetches())`, which
    runs five queries. The consents are already read through the policy; their details are read by id.
    """
    batch = Batch()
    attach = details_reads([consent.pk for consent in consents], batch)
    batch.run()
    attach(consents)


def details_reads(ids, batch: Batch) -> Callable[[list[Consent]], None]:
    """Add what a consent row shows of the consents with these ids to a batch; return what attaches it."""
    through = Consent.recipients.through.objects.filter(consent__in=ids)
    teams = Consent.recipient_teams.through.objects.filter(consent__in=ids)
    parts = {
        "categories": batch.add(ConsentCategory.objects.filter(consent__in=ids)),
        "recipients": batch.add(through.select_related("authority").order_by(*_ordered("authority", Authority))),
        "recipient_teams": batch.add(teams.select_related("team").order_by(*_ordered("team", Team))),
        "parties": batch.add(
            ConsentParty.objects.filter(consent__in=ids).select_related("guardian").order_by("is_child", "pk")
        ),
        "events": batch.add(ConsentEvent.objects.filter(consent__in=ids).select_related("by").order_by("at", "pk")),
    }
    targets = {"recipients": "authority", "recipient_teams": "team"}

    def attach(loaded: list[Consent]) -> None:
        for name, part in parts.items():
            by_consent: dict[int, list] = {}
            for row in part.value:
                by_consent.setdefault(row.consent_id, []).append(
                    getattr(row, targets[name]) if name in targets else row
                )
            for consent in loaded:
                batch_attach(consent, name, by_consent.get(consent.pk, []))

    return attach


def _ordered(field: str, model) -> list[str]:
    """Order through rows as the related model's own ordering orders a prefetch (then by row, for ties)."""
    return [
        f"-{field}__{name[1:]}" if name.startswith("-") else f"{field}__{name}" for name in model._meta.ordering
    ] + ["pk"]


def _summary(
    access: policy.ChildAccess, shown: list[Consent], now, *, batched: bool = False, rules: SharingRules | None = None
) -> ConsentSummary:
    # The same two conditions, on the loaded rows: in force now (as `policy.consent_active`, which has
    # already left out the guardians' consents of a child now 18), or waiting.
    active = [c for c in shown if c.status == Status.GIVEN and c.valid_from <= now < c.valid_until]
    waiting = sum(1 for c in shown if c.status == Status.REQUESTED and c.valid_until > now)
    if not active:
        return ConsentSummary(active=[], waiting=waiting, warning_days=None)
    if batched:  # the page read its reads in a batch, the rules with them: the details in one more
        load_details(active)
        warning_days = services.rules_or_default(access.child, rules).expiry_warning_days
    else:
        prefetch_related_objects(active, *row_prefetches())
        warning_days = services.rules_for(access.child).expiry_warning_days
    plan_today, teams_today = plan_recipients(access.child), team_recipients()
    return ConsentSummary(
        active=[
            consent_row(consent, now=now, warning_days=warning_days, plan_today=plan_today, teams_today=teams_today)
            for consent in active
        ],
        waiting=waiting,
        warning_days=warning_days,
    )


@dataclass(frozen=True)
class FamilyConsentRow:
    row: ConsentRow
    answers: list[tuple[str | Promise, str | Promise]]
    may_answer: bool
    gives_view: bool
    may_withdraw: bool
    own_evidence: bool = False  # the signed form of the user's own answer was uploaded: they may download it


def _family_name(party: ConsentParty, user) -> str | Promise:
    # Other guardians are never named: one of them may have a protected identity.
    if party.is_child:
        return _("Barnet")
    if party.guardian.user_id == user.pk:
        return _("Du")
    return _("Annan vårdnadshavare")


def family_rows(child, user) -> list[FamilyConsentRow]:
    """Return every consent of the child, as the family user sees it: their own part and what they may do."""
    now = timezone.now()
    warning_days = services.rules_for(child).expiry_warning_days
    consents = list(with_details(Consent.objects.filter(child=child)).order_by("-created_at", "-pk"))
    plan_today, teams_today = plan_recipients(child), team_recipients()
    # The family is the data subject: it learns every authority holding what a consent opens.
    held = holdings.held_by(child) if consents else {}
    rows = []
    for consent in consents:
        row = consent_row(
            consent, now=now, warning_days=warning_days, plan_today=plan_today, teams_today=teams_today, held=held
        )
        mine = services.party_of(consent, user, timezone.localdate())
        rows.append(
            FamilyConsentRow(
                row=row,
                answers=[
                    (_family_name(p.party, user), p.answer if p.answered else _("Inte svarat")) for p in row.parties
                ],
                may_answer=row.waiting and mine is not None and mine.decided_at is None,
                gives_view=mine is not None and mine.decision == ConsentParty.Decision.VIEW_ONLY,
                may_withdraw=consent.status == Status.GIVEN
                and consent.valid_until > now
                and not row.needs_renewal
                and mine is not None
                and mine.decision != ConsentParty.Decision.VIEW_ONLY,
                own_evidence=mine is not None and bool(mine.evidence),
            )
        )
    return rows
