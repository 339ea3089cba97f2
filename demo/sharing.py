"""Demo data for consent and lawful sharing: rows that show the sharing pages in use (all fictitious)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db.models import Exists, OuterRef
from django.utils import timezone

from namedperson.stages import add_years
from organisations.models import Authority, Membership, Role, Unit
from people.models import Enrolment, Protection
from sharing.categories import Category
from sharing.models import (
    Block,
    DisclosureCategory,
    DisclosureDecision,
    EmergencyAccess,
    LegalBasis,
    ReportOfConcern,
)
from sharing.policy.emergency import HEALTH_SECTORS
from sharing.services.emergency import emergency_hours

EMERGENCY_REASONS = [
    "Barnet kom in akut med självskadebeteende på kvällen och kunde inte samtycka; vårdnadshavarna gick inte att "
    "nå. Vi behövde barnhälsovårdens journal om tidigare bedömningar och läkemedel samma kväll.",
    "Akut bedömning av suicidrisk på natten. Uppgifter om tidigare vårdkontakter behövdes för vården direkt.",
]


def demo_emergency_accesses(*, today) -> int:
    """Add two ended emergency accesses from BUP to another health-care provider's records: one reviewed, one not.

    Nödåtkomst is a health-care rule (PDL): the holder is a BUP clinician and the records are another region
    service's health records (e.g. child health care), reviewed by that service's manager. Return how many were
    made (none when the demo world has no child both at BUP and in another health-care service with a manager).
    """
    managed = Membership.objects.filter(unit__authority=OuterRef("unit__authority"), role=Role.MANAGER)
    other_care = (
        Enrolment.objects.filter(
            Exists(managed),
            child=OuterRef("child"),
            category=Category.HEALTH,
            unit__authority__sector__in=sorted(HEALTH_SECTORS),
        )
        .exclude(unit__authority=OuterRef("unit__authority"))  # another secrecy domain than BUP's own
        .order_by("pk")
        .values("unit__authority")[:1]
    )
    bup = (
        Enrolment.objects.filter(
            unit__unit_type=Unit.Type.CHILD_PSYCHIATRY, end__isnull=True, child__protection=Protection.NONE
        )
        .annotate(care_authority=other_care)
        .filter(care_authority__isnull=False)
        .select_related("child", "unit")
        .order_by("pk")[:2]
    )
    made = 0
    for days_ago, enrolment in zip((3, 12), bup, strict=False):
        holder = Membership.objects.filter(unit=enrolment.unit, role=Role.PRACTITIONER).order_by("pk").first()
        reviewer = (
            Membership.objects.filter(unit__authority=enrolment.care_authority, role=Role.MANAGER)
            .order_by("pk")
            .first()
        )
        if holder is None or reviewer is None:
            continue
        started = timezone.make_aware(datetime.combine(today - timedelta(days=days_ago), time(21, 40)))
        emergency = EmergencyAccess(
            child=enrolment.child,
            user=holder.user,
            owner_authority_id=enrolment.care_authority,
            reason=EMERGENCY_REASONS[made],
            started_at=started,
            ends_at=started + timedelta(hours=emergency_hours(enrolment.child)),
            ended_at=started + timedelta(hours=2),
        )
        if made:  # the older one has been reviewed; the newer one waits in the manager's queue
            emergency.review = EmergencyAccess.Review.JUSTIFIED
            emergency.reviewed_by = reviewer.user
            emergency.reviewed_at = started + timedelta(days=2)
            emergency.review_note = "Befogad: akut vårdbehov på natten och barnet kunde inte samtycka."
        emergency.full_clean()
        emergency.save()
        made += 1
    return made


REPORTS = [
    (
        "Eleven kom till skolan med ett blåmärke på kinden och sa att hon hade ramlat. Hon ville inte gå hem "
        "när skoldagen var slut.",
        "Det är bäst om jag är här.",
        False,
        ReportOfConcern.Feedback.INVESTIGATION_OPENED,
    ),
    (
        "Eleven har varit frånvarande tolv dagar den här månaden utan anmälan. Vårdnadshavarna svarar inte i telefon.",
        "",
        True,
        ReportOfConcern.Feedback.NOT_OPENED,
    ),
    (
        "Eleven har flera gånger varit hungrig och berättar att det inte finns mat hemma.",
        "Mamma sover hela dagarna.",
        True,
        ReportOfConcern.Feedback.PENDING,
    ),
]


def _staff(username: str) -> Membership | None:
    return Membership.objects.filter(user__username=username).select_related("user", "unit__authority").first()


def _current_at(unit, *, min_age: int, today) -> list:
    """Return children without protected identity, currently enrolled at a unit, at least min_age, by id."""
    born_by = add_years(today, -min_age)
    rows = Enrolment.objects.filter(
        unit=unit, end__isnull=True, child__protection=Protection.NONE, child__birth_date__lte=born_by
    )
    return [row.child for row in rows.select_related("child").order_by("child__pk")]


def demo_statutory_sharing(*, today) -> dict[str, int]:
    """Add reports of concern (with and without feedback), a disclosure decision, a refusal and a block.

    The reports go from the demo teacher (login `larare`) to the demo social worker's unit (login
    `socialsekreterare`); the decisions and the block are the demo social services manager's (login
    `chef`), about children enrolled at that unit. Return what was made, by kind.
    """
    teacher, social_worker, manager = _staff("larare"), _staff("socialsekreterare"), _staff("chef")
    made = {"orosanmälningar": 0, "beslut om utlämnande": 0, "spärrar": 0}
    if teacher is None or social_worker is None or manager is None:
        return made
    now = timezone.make_aware(datetime.combine(today, time(10, 0)))
    pupils = _current_at(teacher.unit, min_age=7, today=today)
    for days_ago, child, (what, words, informed, feedback) in zip((20, 9, 1), pupils, REPORTS, strict=False):
        report = ReportOfConcern(
            child=child,
            owner_authority=social_worker.unit.authority,
            to_unit=social_worker.unit,
            category=Category.SOCIAL,
            reporter=teacher.user,
            reporter_authority=teacher.unit.authority,
            what_happened=what,
            child_words=words,
            guardians_informed=informed,
            not_informed_reason="" if informed else "Vårdnadshavarna har inte gått att nå.",
        )
        if feedback != ReportOfConcern.Feedback.PENDING:
            report.feedback = feedback
            report.feedback_by = social_worker.user
            report.feedback_at = now - timedelta(days=days_ago - 5)
        report.full_clean()
        report.save()
        ReportOfConcern.objects.filter(pk=report.pk).update(created_at=now - timedelta(days=days_ago))
        made["orosanmälningar"] += 1
    clients = _current_at(manager.unit, min_age=0, today=today)
    social = manager.unit.authority
    police = Authority.objects.filter(sector=Authority.Sector.POLICE).order_by("pk").first()
    education = teacher.unit.authority
    decisions = [
        (DisclosureDecision.Outcome.DISCLOSE, LegalBasis.POLICE_UNDER_21, police, DISCLOSE_TEXTS),
        (DisclosureDecision.Outcome.REFUSE, "", education, REFUSE_TEXTS),
    ]
    for child, (outcome, basis, recipient, texts) in zip(clients, decisions, strict=False):
        if recipient is None:
            continue
        decision = DisclosureDecision(
            child=child,
            owner_authority=social,
            outcome=outcome,
            legal_basis=basis,
            valid_from=now - timedelta(days=2),
            valid_until=now + timedelta(days=28),
            decided_by=manager.user,
            **texts,
        )
        decision.full_clean()
        decision.save()
        decision.recipients.set([recipient])
        DisclosureCategory.objects.create(decision=decision, category=Category.SOCIAL)
        made["beslut om utlämnande"] += 1
    if len(clients) > 2:
        block = Block(
            child=clients[2],
            owner_authority=social,
            category=Category.SOCIAL,
            ground=Block.Ground.LAW,
            reason="Uppgifterna om familjen omfattas av stark sekretess till skydd för barnet; de ska inte "
            "delas med skolan eller vården ens med samtycke förrän utredningen är avslutad.",
            created_by=manager.user,
        )
        block.full_clean()
        block.save()
        made["spärrar"] += 1
    return made


DISCLOSE_TEXTS = {
    "purpose": "Polisen behöver veta att den unga har insatser från socialtjänsten för att kunna förebygga brott.",
    "necessary": "Det finns en särskild risk att den unga dras in i brottslighet; polisen kan inte agera utan "
    "uppgiften.",
    "relevant": "Bara att det finns en pågående insats, inte innehållet i utredningen.",
    "proportionate": "Samtycke har sökts men inte lämnats; uppgiften är begränsad och beslutet gäller 30 dagar.",
}
REFUSE_TEXTS = {
    "purpose": "Skolan bad om uppgifter om familjens situation för att planera stöd i skolan.",
    "necessary": "Inte nödvändigt: skolan kan planera stödet utifrån sina egna iakttagelser.",
    "relevant": "Utredningens uppgifter om föräldrarna är inte relevanta för skolans stöd.",
    "proportionate": "Att lämna ut vore inte proportionerligt; samtycke är rätt väg och har inte lämnats.",
}
