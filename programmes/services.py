"""Writes for programmes: applications, assessment, decisions, follow-up, registrations and budget bookings.

Each write validates first, changes nothing when refused (a Swedish message saying what to do), and logs an
audit row with the basis `programme_work` and no child: nothing here holds child data.

Budgets never go negative silently: a booking that would take a budget line's committed money above its
allocation, or its used money above what is committed, is refused with the figures (docs/programmes.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext_lazy as _

from audit import log as audit
from core.personnummer import contains_identity_number
from programmes.models import (
    Application,
    Attachment,
    BudgetEntry,
    BudgetLine,
    ConflictOfInterest,
    Criterion,
    Decision,
    Evaluation,
    Event,
    EventSession,
    FollowUp,
    GrantCall,
    Programme,
    Registration,
    Score,
    SubProject,
)
from sharing import policy
from sharing.evidence import evidence_check, neutral_name

BASIS = policy.Basis.PROGRAMME_WORK
LINK_SALT = "programmes.application-link"
REMIND_DAYS_BEFORE = 14
REMIND_EVERY_DAYS = 7

NOT_YET_OPEN = _("Utlysningen har inte öppnat än. Du kan söka från {opens}.")
CLOSED = _("Utlysningen stängde {closes}. Ansökningar tas inte emot efter sista ansökningstid.")
PERSONAL_NUMBER = _(
    "Texten innehåller något som ser ut som ett personnummer. Skriv inga uppgifter om enskilda barn eller "
    "familjer i ansökan; ta bort numret och spara igen."
)
NOT_DRAFT = _("Ansökan är redan inskickad eller återkallad och kan inte ändras.")
NOT_WITHDRAWABLE = _("Ansökan är redan beslutad eller återkallad och kan inte återkallas.")
NOT_SUBMITTED = _("Bara inskickade ansökningar bedöms och beslutas.")
NOT_ASSESSOR = _("Du är inte bedömare i den här utlysningen.")
CONFLICTED = _("Du är jävig för den här ansökan och kan inte bedöma den. En annan bedömare får poängsätta den.")
OUT_OF_SCALE = _("Ange en poäng från 0 till {top}.")
WRONG_CALL = _("Kriteriet hör inte till ansökans utlysning.")
ALREADY_DECIDED = _("Ansökan är redan beslutad.")
NEEDS_AMOUNT = _("Ange beloppet som beviljas (mer än 0 kr).")
NEEDS_MOTIVATION = _("Skriv en motivering till beslutet; den publiceras med bidraget.")
CALL_BUDGET = _(
    "Beloppet ryms inte i utlysningens budget: {awarded} kr av {budget} kr är redan beviljat. "
    "Sänk beloppet eller avslå."
)
OVER_ALLOCATED = _(
    "Beloppet ryms inte i budgeten för {line}: {committed} kr av {allocated} kr är redan beslutat, "
    "{left} kr återstår. Inget har bokförts."
)
OVER_COMMITTED = _(
    "Beloppet är mer än det som är beslutat för {line}: {used} kr av {committed} kr är redan använt. "
    "Boka först ett beslut eller sänk beloppet. Inget har bokförts."
)
MORE_THAN_AWARDED = _("Använt belopp kan inte vara mer än beviljat ({amount} kr).")
FOLLOW_UP_FILED = _("Uppföljningen är redan inlämnad.")
ANSWER_ALL = _("Svara på alla fyra frågorna.")
ALREADY_REGISTERED = _("Du är redan anmäld till det här tillfället.")
SESSION_PAST = _("Tillfället har redan varit. Välj ett annat tillfälle.")
NOT_ATTENDED = _("Du kan utvärdera först när du har deltagit i föreläsningen.")
ALREADY_EVALUATED = _("Du har redan utvärderat det här tillfället. Tack!")
RATING_RANGE = _("Välj ett betyg från 1 till 5.")
NOT_YOURS = _("Anmälan är inte din.")
ENDS_BEFORE_START = _("Slutdatumet ligger före startdatumet. Ange ett slutdatum samma dag som starten eller senare.")
SUB_PROJECT_TAKEN = _("Programmet har redan ett delprojekt med det namnet. Välj ett annat namn.")
SUB_PROJECT_HAS_MONEY = _(
    "Delprojektet har budgetposter eller bokningar och kan inte tas bort. Flytta eller ta bort dem först."
)
WRONG_LINE = _("Budgetposten hör inte till programmet.")
SESSION_ENDS_FIRST = _("Tillfället slutar innan det börjar. Ange en sluttid efter starttiden.")
CAPACITY_TOO_SMALL = _("Ange minst 1 plats.")
OUTSIDE_PROGRAMME = _("Tillfället ligger utanför programmets period ({starts} – {ends}). Välj en dag inom perioden.")
SESSION_BEGUN = _("Tillfället har redan börjat och kan inte ställas in; det finns kvar med närvaro och utvärderingar.")


@dataclass(frozen=True)
class Via:
    """Who acts and where: what every audit row needs."""

    actor: audit.Actor
    surface: str
    target: str


def log_write(*, via: Via, record, action: str = "create") -> None:
    """Write the audit row of a programme write (no child: programmes hold no child data)."""
    audit.record(
        actor=via.actor,
        action=action,
        surface=via.surface,
        target=via.target,
        basis=BASIS,
        record_type=type(record).__name__,
        record_id=str(record.pk),
    )


def link_actor(application: Application) -> audit.Actor:
    """Describe an applicant who uses the signed application link, for the audit row."""
    return audit.Actor(user_id=None, username=f"{application.contact_name} ({application.organisation})")


def application_link_token(application: Application) -> str:
    return signing.dumps(str(application.key), salt=LINK_SALT)


def application_for_token(token: str) -> Application | None:
    """Return the application a signed link names, or None when the link is forged or unknown."""
    try:
        key = signing.loads(token, salt=LINK_SALT)
    except signing.BadSignature:
        return None
    return Application.objects.select_related("call", "call__programme").filter(key=key).first()


def _kronor(amount: int) -> str:
    return number_format(amount, force_grouping=True)


def moment_in_words(value: datetime) -> str:
    return date_format(timezone.localtime(value), "j F Y \\k\\l. H:i")


# --- Applications ---


def check_open(call: GrantCall, now: datetime) -> None:
    """Refuse, with the moment in words, before the call opens and from its closing moment on."""
    if now < call.opens_at:
        raise ValidationError(NOT_YET_OPEN.format(opens=moment_in_words(call.opens_at)), code="not_open")
    # Exact: the closing moment itself is already too late.
    if now >= call.closes_at:
        raise ValidationError(CLOSED.format(closes=moment_in_words(call.closes_at)), code="closed")


TEXT_FIELDS = ("organisation", "contact_name", "title", "description", "expected_result")


def _check_text(values: dict) -> None:
    errors = {name: [PERSONAL_NUMBER] for name in TEXT_FIELDS if contains_identity_number(str(values.get(name, "")))}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def application_start(*, call: GrantCall, via: Via, now: datetime | None = None, **fields) -> Application:
    """Start a draft application to an open call (staff give `unit` and `created_by`; outsiders neither)."""
    check_open(call, now or timezone.now())
    _check_text(fields)
    application = Application(call=call, **fields)
    application.full_clean()
    application.save()
    log_write(via=via, record=application)
    return application


@transaction.atomic
def application_update(*, application: Application, via: Via, now: datetime | None = None, **fields) -> Application:
    """Change a draft while the call is open."""
    application = Application.objects.select_for_update().select_related("call").get(pk=application.pk)
    if application.status != Application.Status.DRAFT:
        raise ValidationError(NOT_DRAFT, code="not_draft")
    check_open(application.call, now or timezone.now())
    _check_text(fields)
    for name, value in fields.items():
        setattr(application, name, value)
    application.full_clean()
    application.save()
    log_write(via=via, record=application, action="update")
    return application


@transaction.atomic
def attachment_add(*, application: Application, upload: UploadedFile, title: str, via: Via) -> Attachment:
    """Attach a PDF, JPEG or PNG (up to 10 MB, checked by its first bytes) to a draft."""
    if application.status != Application.Status.DRAFT:
        raise ValidationError(NOT_DRAFT, code="not_draft")
    evidence_check(upload)
    if contains_identity_number(title):
        raise ValidationError({"title": [PERSONAL_NUMBER]})
    upload.name = neutral_name(upload)  # the uploaded name may hold a person's name
    attachment = Attachment(application=application, title=title.strip(), file=upload)
    attachment.full_clean()
    attachment.save()
    log_write(via=via, record=attachment)
    return attachment


@transaction.atomic
def application_submit(*, application: Application, via: Via, now: datetime | None = None) -> Application:
    """Submit a draft; refused at or after the call's exact closing time."""
    now = now or timezone.now()
    application = Application.objects.select_for_update().select_related("call").get(pk=application.pk)
    if application.status != Application.Status.DRAFT:
        raise ValidationError(NOT_DRAFT, code="not_draft")
    check_open(application.call, now)
    application.status = Application.Status.SUBMITTED
    application.submitted_at = now
    application.save(update_fields=["status", "submitted_at"])
    log_write(via=via, record=application, action="update")
    return application


@transaction.atomic
def application_withdraw(*, application: Application, via: Via) -> Application:
    """Withdraw a draft or a submitted application that is not yet decided."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    if application.status not in (Application.Status.DRAFT, Application.Status.SUBMITTED):
        raise ValidationError(NOT_WITHDRAWABLE, code="not_withdrawable")
    application.status = Application.Status.WITHDRAWN
    application.withdrawn_at = timezone.now()
    application.save(update_fields=["status", "withdrawn_at"])
    log_write(via=via, record=application, action="update")
    return application


# --- Assessment ---


def has_conflict(application: Application, assessor) -> bool:
    """Return whether the assessor may not score: a declared conflict, or working at the applying unit."""
    if application.conflicts.filter(assessor=assessor).exists():
        return True
    return application.unit_id is not None and policy.memberships(assessor).filter(unit=application.unit_id).exists()


def is_assessor(call: GrantCall, user) -> bool:
    return call.assessors.filter(pk=user.pk).exists()


@transaction.atomic
def conflict_declare(*, application: Application, assessor, reason: str, via: Via) -> ConflictOfInterest:
    """Record that the assessor is conflicted; their scores of the application, if any, are removed."""
    conflict, _created = ConflictOfInterest.objects.get_or_create(
        application=application, assessor=assessor, defaults={"reason": reason.strip()[:300]}
    )
    Score.objects.filter(application=application, assessor=assessor).delete()
    log_write(via=via, record=conflict)
    return conflict


@transaction.atomic
def score_set(*, application: Application, criterion: Criterion, assessor, value: int, comment: str, via: Via) -> Score:
    """Set one assessor's score of one criterion; refused for a conflicted or unassigned assessor."""
    call = application.call
    if not is_assessor(call, assessor):
        raise PermissionDenied(NOT_ASSESSOR)
    if has_conflict(application, assessor):
        raise ValidationError(CONFLICTED, code="conflict")
    if application.status != Application.Status.SUBMITTED:
        raise ValidationError(NOT_SUBMITTED, code="not_submitted")
    if criterion.call_id != call.pk:
        raise ValidationError(WRONG_CALL, code="wrong_call")
    if not 0 <= value <= call.scale_max:
        raise ValidationError({"value": [OUT_OF_SCALE.format(top=call.scale_max)]})
    if contains_identity_number(comment):
        raise ValidationError({"comment": [PERSONAL_NUMBER]})
    score, _created = Score.objects.update_or_create(
        application=application,
        criterion=criterion,
        assessor=assessor,
        defaults={"value": value, "comment": comment.strip()},
    )
    log_write(via=via, record=score)
    return score


# --- Decisions and budgets ---


@dataclass(frozen=True)
class LineTotals:
    allocated: int
    committed: int
    used: int

    @property
    def uncommitted(self) -> int:
        return self.allocated - self.committed


def line_totals(line: BudgetLine) -> LineTotals:
    sums = dict(line.entries.values_list("kind").annotate(total=Sum("amount")).values_list("kind", "total"))
    return LineTotals(
        line.allocated, sums.get(BudgetEntry.Kind.COMMITTED, 0) or 0, sums.get(BudgetEntry.Kind.USED, 0) or 0
    )


def _book(*, line: BudgetLine, kind: str, amount: int, description: str, via: Via, **links) -> BudgetEntry:
    line = BudgetLine.objects.select_for_update(of=("self",)).select_related("programme", "sub_project").get(pk=line.pk)
    totals = line_totals(line)
    if kind == BudgetEntry.Kind.COMMITTED and totals.committed + amount > totals.allocated:
        raise ValidationError(
            OVER_ALLOCATED.format(
                line=line,
                committed=_kronor(totals.committed),
                allocated=_kronor(totals.allocated),
                left=_kronor(totals.uncommitted),
            ),
            code="over_allocated",
        )
    if kind == BudgetEntry.Kind.USED and totals.used + amount > totals.committed:
        raise ValidationError(
            OVER_COMMITTED.format(line=line, used=_kronor(totals.used), committed=_kronor(totals.committed)),
            code="over_committed",
        )
    entry = BudgetEntry(line=line, kind=kind, amount=amount, description=description, booked_on=policy.today(), **links)
    entry.full_clean()
    entry.save()
    log_write(via=via, record=entry)
    return entry


@transaction.atomic
def budget_book(*, line: BudgetLine, kind: str, amount: int, description: str, via: Via, **links) -> BudgetEntry:
    """Book committed or used money on a budget line; refused when it would exceed what is there."""
    return _book(line=line, kind=kind, amount=amount, description=description, via=via, **links)


@transaction.atomic
def decision_make(
    *, application: Application, awarded: bool, amount: int, motivation: str, decided_by, via: Via
) -> Decision:
    """Award (booking the amount as committed on the call's budget line) or decline a submitted application."""
    application = Application.objects.select_for_update().select_related("call").get(pk=application.pk)
    call = application.call
    if Decision.objects.filter(application=application).exists():
        raise ValidationError(ALREADY_DECIDED, code="decided")
    if application.status != Application.Status.SUBMITTED:
        raise ValidationError(NOT_SUBMITTED, code="not_submitted")
    errors: dict[str, list] = {}
    if awarded and amount <= 0:
        errors["amount"] = [NEEDS_AMOUNT]
    if not motivation.strip():
        errors["motivation"] = [NEEDS_MOTIVATION]
    elif contains_identity_number(motivation):
        errors["motivation"] = [PERSONAL_NUMBER]
    if errors:
        raise ValidationError(errors)
    if awarded:
        already = Decision.objects.filter(application__call=call, awarded=True).aggregate(s=Sum("amount"))["s"] or 0
        if already + amount > call.budget:
            raise ValidationError(
                {"amount": [CALL_BUDGET.format(awarded=_kronor(already), budget=_kronor(call.budget))]}
            )
    decision = Decision(
        application=application,
        awarded=awarded,
        amount=amount if awarded else 0,
        motivation=motivation.strip(),
        decided_by=decided_by,
        decided_at=timezone.now(),
    )
    decision.full_clean()
    decision.save()
    application.status = Application.Status.AWARDED if awarded else Application.Status.DECLINED
    application.save(update_fields=["status"])
    log_write(via=via, record=decision)
    if awarded:
        _book(
            line=call.budget_line,
            kind=BudgetEntry.Kind.COMMITTED,
            amount=amount,
            description=f"{call.title}: {application.organisation}",
            via=via,
            application=application,
        )
        follow_up = FollowUp.objects.create(application=application, due_on=call.follow_up_due_on)
        log_write(via=via, record=follow_up)
    return decision


@transaction.atomic
def follow_up_file(*, follow_up: FollowUp, via: Via, **answers) -> FollowUp:
    """File the follow-up report of an award; the money used is booked as used on the call's budget line."""
    follow_up = FollowUp.objects.select_for_update().select_related("application__call").get(pk=follow_up.pk)
    application = follow_up.application
    if follow_up.submitted_at is not None:
        raise ValidationError(FOLLOW_UP_FILED, code="filed")
    questions = ("used_as_applied", "achieved_result", "gained_knowledge", "continues")
    if not all(answers.get(name) for name in questions):
        raise ValidationError(ANSWER_ALL, code="unanswered")
    if contains_identity_number(answers.get("lessons", "")):
        raise ValidationError({"lessons": [PERSONAL_NUMBER]})
    money_used = answers.get("money_used") or 0
    if money_used > application.decision.amount:
        raise ValidationError({"money_used": [MORE_THAN_AWARDED.format(amount=_kronor(application.decision.amount))]})
    for name, value in answers.items():
        setattr(follow_up, name, value)
    follow_up.submitted_at = timezone.now()
    follow_up.full_clean()
    follow_up.save()
    log_write(via=via, record=follow_up, action="update")
    if money_used:
        _book(
            line=application.call.budget_line,
            kind=BudgetEntry.Kind.USED,
            amount=money_used,
            description=f"{application.call.title}: {application.organisation}",
            via=via,
            application=application,
        )
    return follow_up


def follow_ups_to_remind(on: date):
    """Return unfiled follow-ups due within two weeks (or late) whose last reminder is a week old or missing."""
    return (
        FollowUp.objects.filter(submitted_at__isnull=True, due_on__lte=on + timedelta(days=REMIND_DAYS_BEFORE))
        .exclude(reminded_on__gt=on - timedelta(days=REMIND_EVERY_DAYS))
        .select_related("application__call")
        .order_by("pk")
    )


# --- Events ---


@transaction.atomic
def registration_create(*, session: EventSession, user, profession: str, unit, via: Via) -> Registration:
    """Register a staff member: a place while there is room, else the waiting list (in order of registration)."""
    session = EventSession.objects.select_for_update().get(pk=session.pk)
    if session.starts_at <= timezone.now():
        raise ValidationError(SESSION_PAST, code="past")
    active = session.registrations.exclude(status=Registration.Status.CANCELLED)
    if active.filter(user=user).exists():
        raise ValidationError(ALREADY_REGISTERED, code="registered")
    full = active.filter(status=Registration.Status.PLACE).count() >= session.capacity
    registration = Registration(
        session=session,
        user=user,
        profession=profession,
        unit=unit,
        status=Registration.Status.WAITING if full else Registration.Status.PLACE,
        registered_at=timezone.now(),
    )
    registration.full_clean()
    registration.save()
    log_write(via=via, record=registration)
    return registration


@transaction.atomic
def registration_cancel(*, registration: Registration, via: Via) -> Registration | None:
    """Cancel a registration; the first on the waiting list gets the freed place. Return whoever moved up."""
    session = EventSession.objects.select_for_update().get(pk=registration.session_id)
    had_place = registration.status == Registration.Status.PLACE
    registration.status = Registration.Status.CANCELLED
    registration.save(update_fields=["status"])
    log_write(via=via, record=registration, action="update")
    if not had_place:
        return None
    waiting = session.registrations.filter(status=Registration.Status.WAITING).order_by("registered_at", "pk").first()
    if waiting is not None:
        waiting.status = Registration.Status.PLACE
        waiting.save(update_fields=["status"])
        log_write(via=via, record=waiting, action="update")
    return waiting


@transaction.atomic
def attendance_mark(*, registration: Registration, attended: bool, via: Via) -> Registration:
    registration.attended = attended
    registration.save(update_fields=["attended"])
    log_write(via=via, record=registration, action="update")
    return registration


@transaction.atomic
def evaluation_file(
    *, registration: Registration, user, rating: int, would_recommend: bool, comment: str, via: Via
) -> Evaluation:
    """File a participant's evaluation of a session they attended (or held a place at, once it has begun)."""
    if registration.user_id != user.pk:
        raise PermissionDenied(NOT_YOURS)
    began = registration.session.starts_at <= timezone.now()
    if registration.attended is False or registration.status != Registration.Status.PLACE or not began:
        raise ValidationError(NOT_ATTENDED, code="not_attended")
    if Evaluation.objects.filter(registration=registration).exists():
        raise ValidationError(ALREADY_EVALUATED, code="evaluated")
    if not 1 <= rating <= 5:
        raise ValidationError({"rating": [RATING_RANGE]})
    if contains_identity_number(comment):
        raise ValidationError({"comment": [PERSONAL_NUMBER]})
    evaluation = Evaluation(
        registration=registration, rating=rating, would_recommend=would_recommend, comment=comment.strip()
    )
    evaluation.full_clean()
    evaluation.save()
    log_write(via=via, record=evaluation)
    return evaluation


@transaction.atomic
def call_create(*, programme, criteria: list[tuple[str, int]], via: Via, **fields) -> GrantCall:
    """Open a call with its selection criteria (title, weight) in order."""
    call = GrantCall(programme=programme, **fields)
    call.full_clean()
    call.save()
    for position, (title, weight) in enumerate(criteria, start=1):
        Criterion.objects.create(call=call, position=position, title=title, weight=weight)
    log_write(via=via, record=call)
    return call


@transaction.atomic
def assessor_add(*, call: GrantCall, assessor, via: Via) -> None:
    call.assessors.add(assessor)
    log_write(via=via, record=call, action="update")


# --- Setting up programmes and events (managers and administrators) ---


@transaction.atomic
def programme_save(*, programme: Programme, via: Via) -> Programme:
    """Create or change a programme: owner, period, steering group and description."""
    if programme.starts_on and programme.ends_on and programme.ends_on < programme.starts_on:
        raise ValidationError({"ends_on": [ENDS_BEFORE_START]})
    creating = programme.pk is None
    programme.full_clean()
    programme.save()
    log_write(via=via, record=programme, action="create" if creating else "update")
    return programme


@transaction.atomic
def sub_project_save(*, sub_project: SubProject, via: Via) -> SubProject:
    """Add or change a sub-project (delprojekt); names are unique within the programme."""
    others = SubProject.objects.filter(programme=sub_project.programme_id, name__iexact=sub_project.name.strip())
    if others.exclude(pk=sub_project.pk).exists():
        raise ValidationError({"name": [SUB_PROJECT_TAKEN]})
    creating = sub_project.pk is None
    sub_project.name = sub_project.name.strip()
    sub_project.full_clean(validate_constraints=False)
    sub_project.save()
    log_write(via=via, record=sub_project, action="create" if creating else "update")
    return sub_project


@transaction.atomic
def sub_project_remove(*, sub_project: SubProject, via: Via) -> None:
    """Remove a sub-project that has no money on it; its budget lines and bookings are never deleted with it."""
    if sub_project.budget_lines.exists() or BudgetEntry.objects.filter(sub_project=sub_project).exists():
        raise ValidationError(SUB_PROJECT_HAS_MONEY, code="has_money")
    log_write(via=via, record=sub_project, action="delete")
    sub_project.delete()


@transaction.atomic
def event_save(*, event: Event, via: Via) -> Event:
    """Create or change an event; its cost is booked against a budget line of the same programme."""
    if event.budget_line_id and event.budget_line.programme_id != event.programme_id:
        raise ValidationError({"budget_line": [WRONG_LINE]})
    creating = event.pk is None
    event.full_clean()
    event.save()
    log_write(via=via, record=event, action="create" if creating else "update")
    return event


@transaction.atomic
def session_add(*, event: Event, starts_at: datetime, ends_at: datetime, capacity: int, via: Via) -> EventSession:
    """Add a sitting to an event: it ends after it starts, has at least one place, and lies in the programme."""
    errors = {}
    if ends_at <= starts_at:
        errors["ends_at"] = [SESSION_ENDS_FIRST]
    if capacity < 1:
        errors["capacity"] = [CAPACITY_TOO_SMALL]
    programme = event.programme
    day = timezone.localtime(starts_at).date()
    if not programme.starts_on <= day <= programme.ends_on:
        period = {"starts": date_format(programme.starts_on, "j F Y"), "ends": date_format(programme.ends_on, "j F Y")}
        errors["date"] = [OUTSIDE_PROGRAMME.format(**period)]
    if errors:
        raise ValidationError(errors)
    session = EventSession(event=event, starts_at=starts_at, ends_at=ends_at, capacity=capacity)
    session.full_clean()
    session.save()
    log_write(via=via, record=session)
    return session


def registrations_to_cancel(session: EventSession) -> int:
    """Count the people (with a place or waiting) whom cancelling the session concerns."""
    return session.registrations.exclude(status=Registration.Status.CANCELLED).count()


@transaction.atomic
def session_cancel(*, session: EventSession, via: Via) -> int:
    """Cancel (remove) a session that has not begun, with its registrations; return how many were registered."""
    session = EventSession.objects.select_for_update().get(pk=session.pk)
    if session.starts_at <= timezone.now():
        raise ValidationError(SESSION_BEGUN, code="begun")
    count = registrations_to_cancel(session)
    log_write(via=via, record=session, action="delete")
    session.delete()
    return count
