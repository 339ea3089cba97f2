"""Demo data for the practice model: chronologies, wellbeing wheels and children's plans (all fictitious).

A small share of the children get records, written by their current named person (so the named
person's authority owns them and its staff see them): about 2 % a chronology of 3–8 entries with
strengths and concerns, about 1 % a wellbeing wheel rated by the practitioner (and, from school
age, one rated by the child), and about 0.5 % a child's plan, as a draft, active (agreed, with its
first version), due for review, under review or closed. The children of the demo head teacher
(login `rektor`) and the demo child health nurse (login `bvc`) always get them, so the demo shows
the pages. The demo guardian's child (login `vardnadshavare`, `demo.family.family_guardianship`)
gets a draft plan sent to the guardians and waiting for their answers in the family view: the
other guardian (login `vardnadshavare2`) has agreed, so the demo guardian's answer decides.

The rows are written in bulk (COPY on PostgreSQL, like the rest of the demo) but the way the
services write them: the same participants as `plans.services.plan_start` (a guardian participant
linked to the guardian), the version counter raised once per lifecycle step, the agreed version's
snapshot from `plans.snapshot.plan_snapshot` taken before the actions started, every guardian
agreeing as staff recorded it, and the review-due reminder `plans.services.reminders_make` would
make. No audit row per record: the demo run writes one. The plan sent to the family goes through
the services themselves (`plan_send_to_family`, `plan_answer_by_guardian`), which check the rules
and write their audit rows in the name of the demo run.

Deterministic for a seed and a day: its own `random.Random` walks the children in personal-number
order.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from audit import log as audit
from demo import world
from demo.family import family_guardianship
from demo.rows import insert
from namedperson.models import Assignment
from organisations.models import Authority, Membership
from people.models import Guardian, Guardianship
from plans import services
from plans.models import (
    Action,
    ChildPlan,
    Kind,
    NeedSummary,
    Participant,
    PlanAgreement,
    PlanVersion,
    Reminder,
    Review,
    RiskLevel,
    Status,
)
from plans.snapshot import plan_snapshot
from sharing import policy
from sharing.categories import category_for_unit_type
from wellbeing.indicators import Indicator
from wellbeing.models import Assessment, ChronologyEntry, EntryIndicator, Rating

CHRONOLOGY_SHARE = 0.02
WHEEL_SHARE = 0.01
PLAN_SHARE = 0.005  # nested: every child with a plan also has a wheel and a chronology
CHILD_RATES_FROM_AGE = 7
FEATURED_LOGINS = ("rektor", "bvc")  # demo logins whose own named-person children always get records
REVIEW_WEEKS = 12
# Plan states in the population, drawn with these weights.
PLAN_STATES = (("draft", 2), ("active", 4), ("review_due", 2), ("review", 1), ("closed", 2))
SENT = "sent"  # a draft sent to the guardians, waiting for their answers: only the demo guardian's child
CO_GUARDIAN_NOTE = "Vi har pratat om planen hemma och tycker att den verkar bra."

I = Indicator  # noqa: E741 -- short alias for the tables below

# Chronology texts, in plain Swedish, from the kinds of situations the source documents describe:
# (kind, youngest age, oldest age, what happened, source, indicators, action taken, period in days or 0).
ENTRIES = [
    (
        "concern", 7, 18,
        "Eleven har varit frånvarande många halvdagar de senaste veckorna, oftast måndagar. Ingen anmälan kom.",
        "Mentor", (I.ACHIEVING, I.SAFE), "Mentor ringde vårdnadshavare och bokade ett möte.", 21,
    ),
    (
        "concern", 7, 18,
        "Eleven säger att hen inte vill gå till skolan för att några i klassen retar hen på rasterna.",
        "Barnet självt", (I.SAFE, I.INCLUDED), "Klassläraren pratade med eleverna och ökade rastvakten.", 0,
    ),
    (
        "concern", 6, 18,
        "Eleven kommer ofta utan frukost och är trött och hungrig före lunch.",
        "Klasslärare", (I.NURTURED, I.HEALTHY), "Skolsköterskan erbjöd ett samtal och frukost i skolan.", 0,
    ),
    (
        "concern", 10, 18,
        "Eleven sover dåligt, säger att det är bråk hemma på kvällarna och att hen oroar sig för mamma.",
        "Skolkurator", (I.SAFE, I.NURTURED, I.HEALTHY), "Kuratorn träffar eleven varje vecka.", 0,
    ),
    (
        "concern", 12, 18,
        "Ungdomen har setts på fritidsgården sent på kvällen med äldre ungdomar som polisen känner till.",
        "Fritidsledare", (I.SAFE, I.RESPONSIBLE), "", 0,
    ),
    (
        "concern", 1, 5,
        "Barnet pratar få ord för sin ålder och blir lätt ledset när hen inte blir förstådd.",
        "Förskollärare", (I.ACHIEVING, I.INCLUDED), "Förskolan gör en plan för språkstöd tillsammans med familjen.", 0,
    ),
    (
        "concern", 0, 5,
        "Barnet har gått upp lite i vikt sedan förra besöket. Familjen har flyttat och har det trångt.",
        "BVC-sjuksköterska", (I.HEALTHY, I.NURTURED), "Nytt besök om fyra veckor; dietist erbjuden.", 0,
    ),
    (
        "concern", 0, 3,
        "Mamma berättar att hon känner sig nedstämd och har svårt att orka med vardagen med bebisen.",
        "BVC-sjuksköterska", (I.NURTURED, I.SAFE), "Samtal enligt EPDS; tid hos psykolog erbjuden.", 0,
    ),
    (
        "concern", 2, 5,
        "Barnet hämtas ofta sent och vårdnadshavaren har vid två tillfällen verkat påverkad vid hämtning.",
        "Förskolechef", (I.SAFE, I.NURTURED), "Förskolan har pratat med vårdnadshavaren och kontaktat rektor.", 0,
    ),
    (
        "concern", 7, 18,
        "Eleven når inte målen i svenska och matematik och ger upp snabbt när uppgifterna blir svåra.",
        "Klasslärare", (I.ACHIEVING,), "Extra anpassningar i klassrummet; elevhälsan tar upp frågan.", 0,
    ),
    (
        "strength", 6, 18,
        "Eleven har en god relation till sin mentor och berättar själv när något är svårt.",
        "Mentor", (I.RESPECTED, I.SAFE), "", 0,
    ),
    (
        "strength", 7, 18,
        "Eleven spelar fotboll två kvällar i veckan och tränaren säger att hen är en bra lagkamrat.",
        "Vårdnadshavare", (I.ACTIVE, I.INCLUDED), "", 0,
    ),
    (
        "strength", 0, 18,
        "Mormor bor nära och hämtar barnet flera dagar i veckan. Barnet tycker mycket om att vara hos henne.",
        "Vårdnadshavare", (I.NURTURED, I.SAFE), "", 0,
    ),
    (
        "strength", 8, 18,
        "Eleven har börjat på Kulturskolan och spelar gitarr; hen är stolt och har fått nya kompisar.",
        "Barnet självt", (I.ACTIVE, I.INCLUDED, I.ACHIEVING), "", 0,
    ),
    (
        "strength", 1, 5,
        "Barnet leker gärna med andra och är nyfiken på allt nytt i förskolans skogsgrupp.",
        "Förskollärare", (I.ACTIVE, I.INCLUDED), "", 0,
    ),
    (
        "strength", 0, 5,
        "Föräldrarna kommer till alla besök, är lyhörda för barnet och frågar när de undrar över något.",
        "BVC-sjuksköterska", (I.NURTURED, I.HEALTHY), "", 0,
    ),
    (
        "strength", 10, 18,
        "Eleven tar ansvar i klassrådet och hjälper yngre elever med läxorna på Läxhjälpen.",
        "Mentor", (I.RESPONSIBLE, I.RESPECTED), "", 0,
    ),
    (
        "event", 0, 18,
        "Familjen har flyttat till en ny lägenhet i ett annat område.",
        "Vårdnadshavare", (I.NURTURED,), "", 0,
    ),
    (
        "event", 6, 18,
        "Eleven har bytt klass efter önskemål från familjen.",
        "Rektor", (I.INCLUDED, I.RESPECTED), "Ny mentor utsedd och överlämning gjord.", 0,
    ),
    (
        "event", 0, 18,
        "Föräldrarna har separerat. Barnet bor varannan vecka hos var och en.",
        "Vårdnadshavare", (I.NURTURED, I.SAFE), "Barnet erbjuds samtal med kuratorn.", 0,
    ),
]  # fmt: skip

WHEEL_COMMENTS = {
    "practitioner": {
        I.SAFE: "Trygg i skolan, oro kring kvällarna hemma.",
        I.ACHIEVING: "Behöver stöd för att komma igång med uppgifter.",
        I.ACTIVE: "Tränar regelbundet.",
        I.INCLUDED: "Har ett par nära kompisar.",
    },
    "child": {
        I.SAFE: "Jag känner mig trygg när jag är hos mormor.",
        I.HEALTHY: "Jag är ofta trött.",
        I.ACTIVE: "Fotbollen är det bästa.",
        I.RESPECTED: "Vuxna lyssnar inte alltid.",
    },
}

REASONS = [
    "Barnet har varit mycket borta från skolan och berättar om oro hemma. Skolan, familjen och socialtjänsten "
    "vill tillsammans hjälpa barnet att komma tillbaka och må bättre.",
    "Familjen har bett om stöd eftersom barnet sover dåligt och har svårt att hänga med i skolan.",
    "Barnet behöver stöd i språket och familjen behöver hjälp att hitta rätt i vården och förskolan.",
    "Barnet blir retat och vill inte gå till skolan. Vi gör en plan så att barnet känner sig tryggt igen.",
]
NEEDS = {
    I.SAFE: "Känna sig trygg i skolan och hemma, och veta vem hen kan prata med.",
    I.HEALTHY: "Sova bättre och äta frukost varje dag.",
    I.ACHIEVING: "Komma till skolan varje dag och få anpassningar i svenska och matematik.",
    I.NURTURED: "Att familjen får stöd så att vardagen fungerar.",
    I.INCLUDED: "Ha kompisar och vara med på rasterna.",
    I.ACTIVE: "Fortsätta med en fritidsaktivitet hen tycker om.",
}
OWN_ACTIONS = [
    (
        "Mentor träffar barnet varje måndag morgon och går igenom veckan.",
        "Barnet kommer till skolan och vet vad som händer under veckan.",
        [I.ACHIEVING, I.SAFE],
    ),
    ("Extra anpassningar i svenska och matematik.", "Barnet klarar fler uppgifter själv.", [I.ACHIEVING]),
    ("Uppföljande besök var fjärde vecka.", "Barnet växer som förväntat.", [I.HEALTHY]),
    ("Rastvakter på skolgården där barnet brukar vara.", "Barnet känner sig tryggt på rasterna.", [I.SAFE, I.INCLUDED]),
]
OTHER_ACTIONS = [
    (
        "Familjebehandlare träffar familjen varannan vecka.",
        "Föräldrarna får stöd och vardagen hemma blir lugnare.",
        [I.NURTURED, I.SAFE],
    ),
    ("Samtal med psykolog om sömn och oro.", "Barnet sover bättre och oroar sig mindre.", [I.HEALTHY]),
]
CLOSED_REASONS = [
    "Målen är uppnådda: barnet går i skolan varje dag och familjen tycker att det fungerar bra nu.",
    "Familjen har flyttat från kommunen; överlämning är gjord till den nya skolan med familjens samtycke.",
]
PARTICIPANT_TITLES = ("Familjebehandlare", "Psykolog", "Kurator")


@dataclass
class _Case:
    """A child with a current named person, and who writes their records."""

    child_id: object
    number: str
    name: str
    born: date
    assignment_id: int
    person_id: int
    unit_id: int
    authority_id: int
    category: str
    chronology: bool = False
    wheel: bool = False
    plan: str | None = None
    plan_row: dict = field(default_factory=dict)
    agreed: date | None = None  # the day the plan was agreed, if it was


def demo_practice(*, seed: int, today: date) -> dict[str, int]:
    """Write chronologies, wheels and plans for a deterministic share of the children; return what was made."""

    rng = random.Random(f"practice-{seed}")  # noqa: S311 -- reproducible fictitious data, no secrets
    cases = _cases(today)
    family = _family_case(cases, today)
    featured = _featured([case for case in cases if case is not family])
    states = [state for state, weight in PLAN_STATES for _ in range(weight)]
    for case in cases:
        draw = rng.random()
        case.chronology = draw < CHRONOLOGY_SHARE
        case.wheel = draw < WHEEL_SHARE
        if draw < PLAN_SHARE:
            case.plan = rng.choice(states)
    for case, state in [*featured, *([(family, SENT)] if family else [])]:
        case.chronology = case.wheel = True
        case.plan = state
    made = {"kronologiposter": 0, "välbefinnandebedömningar": 0, "barnets planer": 0, "planversioner": 0}
    entries, indicators = [], []
    for case in cases:
        if case.chronology:
            for row, codes in _chronology(rng, case, today):
                entries.append(row)
                indicators.append(codes)
    insert(ChronologyEntry, entries)
    insert(
        EntryIndicator,
        [{"entry_id": row["id"], "indicator": c} for row, cs in zip(entries, indicators, strict=True) for c in cs],
    )
    made["kronologiposter"] = len(entries)
    assessments, ratings = [], []
    for case in cases:
        if case.wheel:
            for row, scores in _wheels(rng, case, today):
                assessments.append(row)
                ratings.append(scores)
    insert(Assessment, assessments)
    insert(
        Rating,
        [
            {**score, "assessment_id": row["id"]}
            for row, rows in zip(assessments, ratings, strict=True)
            for score in rows
        ],
    )
    made["välbefinnandebedömningar"] = len(assessments)
    planned = [case for case in cases if case.plan]
    made["barnets planer"], made["planversioner"] = _plans(rng, planned, today, insert)
    made["planversioner"] += _send_to_family(planned)
    return made


def _cases(today: date) -> list[_Case]:
    """Return every born child with a current named person, in personal-number order."""
    current = Q(start__lte=today) & (Q(end__isnull=True) | Q(end__gt=today))
    rows = (
        Assignment.objects.filter(current, child__is_expected=False)
        .order_by("child__identity_number", "pk")
        .values_list(
            "child_id",
            "child__identity_number",
            "child__given_name",
            "child__family_name",
            "child__birth_date",
            "pk",
            "person_id",
            "unit_id",
            "unit__authority_id",
            "unit__unit_type",
        )
    )
    cases, seen = [], set()
    for child_id, number, given, family, born, pk, person, unit, authority, unit_type in rows.iterator(chunk_size=5000):
        if child_id in seen:
            continue
        seen.add(child_id)
        category = category_for_unit_type(unit_type)
        cases.append(_Case(child_id, number, f"{given} {family}", born, pk, person, unit, authority, category))
    return cases


def _family_case(cases: list[_Case], today: date) -> _Case | None:
    """Return the demo guardian's child (the one the login is about), if it has a named person."""

    guardianship = family_guardianship(today)
    if guardianship is None:
        return None
    return next((case for case in cases if case.child_id == guardianship.child_id), None)


def _featured(cases: list[_Case]) -> list[tuple[_Case, str]]:
    """Pick the demo logins' own named-person children: the first gets an active plan, the next others."""
    chosen = []
    for username, states in zip(FEATURED_LOGINS, (("active", "review_due"), ("draft",)), strict=True):
        membership = Membership.objects.filter(user__username=username).order_by("pk").first()
        if membership is None:
            continue
        own = [case for case in cases if case.person_id == membership.user_id]
        own = own or [case for case in cases if case.unit_id == membership.unit_id]
        chosen += list(zip(own, states, strict=False))
    return chosen


def _age(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _moment(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _chronology(rng: random.Random, case: _Case, today: date):
    """Yield 3–8 entries (at least one concern and one strength) for the child's age, oldest first."""
    age = _age(case.born, today)
    fitting = [text for text in ENTRIES if text[1] <= age <= text[2]]
    concerns = [text for text in fitting if text[0] == "concern"]
    strengths = [text for text in fitting if text[0] == "strength"]
    if not concerns or not strengths:
        return
    count = rng.randint(3, 8)
    texts = [rng.choice(concerns), rng.choice(strengths)]
    rest = [text for text in fitting if text not in texts]
    texts += rng.sample(rest, min(count - 2, len(rest)))
    span = max(1, min(700, (today - case.born).days))
    days = sorted(rng.sample(range(span), min(len(texts), span)), reverse=True)
    for (kind, _lo, _hi, what, source, codes, action, period), ago in zip(texts, days, strict=False):
        start = today - timedelta(days=ago)
        end = start + timedelta(days=period) if period and start + timedelta(days=period) <= today else None
        impact = {"concern": "negative", "strength": "positive"}.get(kind, "neutral")
        row = {
            "child_id": case.child_id,
            "owner_authority_id": case.authority_id,
            "category": case.category,
            "author_id": case.person_id,
            "author_unit_id": case.unit_id,
            "kind": kind,
            "start_date": start,
            "end_date": end,
            "what_happened": what,
            "source": source,
            "impact": impact,
            "action_taken": action,
        }
        yield row, [str(code) for code in codes]


def _wheels(rng: random.Random, case: _Case, today: date):
    """Yield the practitioner's wheel and, from school age, often one the child rated themself."""
    raters = ["practitioner"]
    if _age(case.born, today) >= CHILD_RATES_FROM_AGE and rng.random() < 0.6:
        raters.append("child")
    for rater in raters:
        row = {
            "child_id": case.child_id,
            "owner_authority_id": case.authority_id,
            "category": case.category,
            "kind": Assessment.Kind.WHEEL.value,
            "rater_kind": rater,
            # A child's own wheel is recorded by the practitioner sitting with them.
            "rated_by_id": case.person_id,
            "assessed_on": today - timedelta(days=rng.randint(0, 120)),
            "note": "Samtal med barnet om hur hen har det." if rater == "child" else "Bedömning inför samtal.",
        }
        comments = WHEEL_COMMENTS[rater]
        scores = [
            {"indicator": str(code), "score": rng.randint(2, 5), "comment": comments.get(code, "")}
            for code in Indicator
        ]
        yield row, scores


def _plans(rng: random.Random, cases: list[_Case], today: date, insert) -> tuple[int, int]:
    """Write the plans, their parts, versions, agreements, reviews and reminders; return (plans, versions)."""
    if not cases:
        return 0, 0
    guardians = _custodians([case.child_id for case in cases], today)
    people = {
        user.pk: user.get_full_name() or user.username
        for user in User.objects.filter(pk__in={case.person_id for case in cases})
    }
    social = Authority.objects.filter(sector=Authority.Sector.SOCIAL_SERVICES).order_by("pk").first()
    now = timezone.now()
    plans, participants, needs, actions = [], [], [], []
    for case in cases:
        plan = _plan_row(rng, case, today, now, social)
        case.plan_row = plan
        plans.append(plan)
    insert(ChildPlan, plans)
    for case in cases:
        plan = case.plan_row
        rows = [{"plan_id": plan["id"], "name": case.name, "role": Participant.Role.CHILD.value}]
        rows += [
            {"plan_id": plan["id"], "guardian_id": guardian_id, "name": name, "role": Participant.Role.GUARDIAN.value}
            for guardian_id, name in guardians.get(case.child_id, [])
        ]
        rows.append(
            {
                "plan_id": plan["id"],
                "user_id": case.person_id,
                "name": people[case.person_id],
                "role": Participant.Role.NAMED_PERSON.value,
                "authority_id": case.authority_id,
            }
        )
        if plan["kind"] == Kind.MULTI_AGENCY:
            given, family = rng.choice(world.WOMEN + world.MEN), rng.choice(world.FAMILY_NAMES)
            rows.append(
                {
                    "plan_id": plan["id"],
                    "name": f"{given} {family}",
                    "role": Participant.Role.PRACTITIONER.value,
                    "authority_id": social.pk,
                    "title": rng.choice(PARTICIPANT_TITLES),
                }
            )
        participants += rows
        for code in rng.sample(sorted(NEEDS), rng.randint(1, 3)):
            needs.append({"plan_id": plan["id"], "indicator": str(code), "summary": NEEDS[code]})
        start = case.agreed or today
        chosen = [(own, case.authority_id, case.person_id) for own in rng.sample(OWN_ACTIONS, rng.randint(1, 2))]
        if plan["kind"] == Kind.MULTI_AGENCY:
            chosen.append((rng.choice(OTHER_ACTIONS), social.pk, None))
        for (description, outcome, codes), authority_id, person_id in chosen:
            actions.append(
                {
                    "plan_id": plan["id"],
                    "owner_authority_id": authority_id,
                    "owner_person_id": person_id,
                    "description": description,
                    "start": start,
                    "end": start + timedelta(weeks=rng.randint(8, 26)),
                    "expected_outcome": outcome,
                    "indicators": sorted(str(code) for code in codes),
                    "status": Action.State.PLANNED.value,
                }
            )
    insert(Participant, participants)
    insert(NeedSummary, needs)
    insert(Action, actions)
    versions = _versions(cases, participants, insert)
    _after_agreement(cases, today, now, insert)
    return len(plans), versions


def _plan_row(rng: random.Random, case: _Case, today: date, now: datetime, social) -> dict:
    """Return a plan's row as the services leave it in its state; set the day it was agreed on the case."""
    state = case.plan
    kind = Kind.MULTI_AGENCY if social is not None and rng.random() < 0.5 else Kind.SINGLE_AGENCY
    weeks = timedelta(weeks=REVIEW_WEEKS)
    agreed: date | None = None
    # Services raise `version` once per step: start, agree, activate, review start, close.
    version, status, next_review = 1, Status.DRAFT, None
    if state == "active":
        agreed = today - timedelta(days=rng.randint(7, 70))
    elif state in ("review_due", "review"):
        agreed = today - weeks - timedelta(days=rng.randint(1, 30))
    elif state == "closed":
        agreed = today - timedelta(days=rng.randint(200, 500))
    if agreed is not None:
        version, status, next_review = 3, Status.ACTIVE, agreed + weeks
    row = {
        "child_id": case.child_id,
        "owner_authority_id": case.authority_id,
        "kind": kind.value,
        "status": status.value,
        "lead_professional_id": case.person_id if kind == Kind.MULTI_AGENCY else None,
        "named_person_id": case.assignment_id,
        "reasons": rng.choice(REASONS),
        "risk_level": rng.choice([RiskLevel.NONE, RiskLevel.LOW, RiskLevel.LOW, RiskLevel.MEDIUM]).value,
        "review_arrangements": "Uppföljningsmöte med familjen och alla som har åtgärder i planen.",
        "review_interval_weeks": REVIEW_WEEKS,
        "next_review_on": next_review,
        "created_by_id": case.person_id,
        "updated_by_id": case.person_id,
        "updated_at": now,
        "version": version,
    }
    case.agreed = agreed
    if state == "review":
        row.update(status=Status.REVIEW.value, version=4)
    elif state == "closed":
        closed = agreed + timedelta(days=rng.randint(100, 180))
        row.update(
            status=Status.CLOSED.value,
            version=4,
            closed_at=_moment(min(closed, today)),
            closed_reason=rng.choice(CLOSED_REASONS),
            closed_by_id=case.person_id,
            returned_to_id=case.person_id,
        )
    return row


def _custodians(child_ids: list, today: date) -> dict:
    """Return each child's guardians with custody today, as (id, name), in guardian order (as `plan_start` does)."""
    rows = (
        Guardianship.objects.filter(policy.custody_in_force(today), child_id__in=child_ids)
        .order_by("guardian_id")
        .values_list("child_id", "guardian_id", "guardian__given_name", "guardian__family_name")
    )
    names: dict = {}
    for child_id, guardian_id, given, family in rows:
        names.setdefault(child_id, []).append((guardian_id, f"{given} {family}"))
    return names


def _versions(cases: list[_Case], participants: list[dict], insert) -> int:
    """Write version 1 of every agreed plan with the snapshot the service takes, and everyone's agreement."""
    agreed = {case.plan_row["id"]: case for case in cases if case.agreed}
    if not agreed:
        return 0
    plans = ChildPlan.objects.filter(pk__in=agreed).select_related("owner_authority", "lead_professional")
    versions = []
    for plan in plans.order_by("pk"):
        case = agreed[plan.pk]
        versions.append(
            {
                "plan_id": plan.pk,
                "number": 1,
                "agreed_at": _moment(case.agreed, 14),
                "agreed_by_id": case.person_id,
                "snapshot": plan_snapshot(plan),
            }
        )
    insert(PlanVersion, versions)
    version_of = {row["plan_id"]: row for row in versions}
    # As `plan_agree` records them: staff heard every answer, the guardians' linked to the guardian.
    agreements = [
        {
            "version_id": version_of[row["plan_id"]]["id"],
            "name": row["name"],
            "role": row["role"],
            "answer": PlanAgreement.Answer.AGREES.value,
            "note": "Jag vill att det blir lugnare i skolan." if row["role"] == Participant.Role.CHILD else "",
            "guardian_id": row.get("guardian_id"),
            "method": PlanAgreement.Method.STAFF.value,
            "recorded_at": version_of[row["plan_id"]]["agreed_at"],
        }
        for row in participants
        if row["plan_id"] in version_of
    ]
    insert(PlanAgreement, agreements)
    return len(versions)


def _after_agreement(cases: list[_Case], today: date, now: datetime, insert) -> None:
    """Start the actions of agreed plans, open reviews, and make the reminders of reviews due."""
    rows = [case.plan_row for case in cases]
    ongoing = [row["id"] for row in rows if row["status"] in (Status.ACTIVE, Status.REVIEW)]
    done = [row["id"] for row in rows if row["status"] == Status.CLOSED]
    Action.objects.filter(plan_id__in=ongoing).update(status=Action.State.ONGOING)
    Action.objects.filter(plan_id__in=done).update(status=Action.State.DONE)
    reviews = [
        {
            "plan_id": row["id"],
            "started_at": _moment(min(row["next_review_on"], today), 9),
            "started_by_id": row["created_by_id"],
        }
        for row in rows
        if row["status"] == Status.REVIEW
    ]
    insert(Review, reviews)
    reminders = [
        {"plan_id": row["id"], "kind": Reminder.Kind.REVIEW_DUE.value, "due_on": row["next_review_on"]}
        for row in rows
        if row["status"] in (Status.ACTIVE, Status.REVIEW) and row["next_review_on"] <= today
    ]
    insert(Reminder, reminders)


def _send_to_family(cases: list[_Case]) -> int:
    """Send the demo guardian's child's draft plan to the guardians, and agree as the other guardians.

    Through the services, so the rules hold (every guardian in the plan can answer in Samplan, the
    lead may lead it, there is an action); the demo guardian's own answer is left for the demo.
    Return how many versions were made.
    """
    run = audit.Actor(user_id=None, username="demo_data")
    via = services.Via(actor=run, surface="task", target="demo_data", basis="demo_data")
    sent = 0
    for case in cases:
        if case.plan != SENT:
            continue
        plan = ChildPlan.objects.get(pk=case.plan_row["id"])
        services.plan_send_to_family(plan=plan, user=User.objects.get(pk=case.person_id), via=via)
        sent += 1
        others = Guardian.objects.filter(
            pk__in=plan.participants.filter(role=Participant.Role.GUARDIAN).values("guardian"),
            user__username__startswith=world.FAMILY_LOGIN,
        ).exclude(user__username=world.FAMILY_LOGIN)
        for guardian in others.order_by("pk"):
            services.plan_answer_by_guardian(
                plan=plan, guardian=guardian, answer=PlanAgreement.Answer.AGREES, note=CO_GUARDIAN_NOTE, via=via
            )
    return sent
