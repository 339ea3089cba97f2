"""Writes of the practice model: chronology entries, the five questions, assessments and instrument scores.

Every write is atomic, validates before saving and writes its audit row in the same transaction.
Chronology entries are only ever created: there is no update or delete here (nor anywhere).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from audit import log as audit
from namedperson.models import Assignment
from organisations.models import Authority, Unit
from people.models import Child
from sharing import policy
from sharing.categories import category_for_unit_type
from wellbeing.indicators import Indicator
from wellbeing.instrument_data import MIN_AGE
from wellbeing.models import (
    Assessment,
    Band,
    ChronologyEntry,
    EntryIndicator,
    FiveQuestions,
    IndicatorLabel,
    IndicatorLabelSet,
    Instrument,
    InstrumentResponse,
    MatrixPlacement,
    Rating,
    Subscale,
    SubscaleScore,
    TriangleNote,
)
from wellbeing.triangle import Area

NO_UNIT = _("Du har ingen aktuell anställning i Samplan och kan inte skriva här. Kontakta din administratör.")
NEEDS_WHAT = _("Beskriv vad som hände, sakligt och med vanliga ord.")
NEEDS_SOURCE = _("Skriv vem som såg eller berättade, till exempel ”klasslärare” eller ”barnet självt”.")
IN_FUTURE = _("Datumet kan inte ligga i framtiden. Skriv dagens datum eller ett tidigare.")
END_BEFORE_START = _("Slutdatumet kan inte ligga före startdatumet. Rätta datumen.")
UNKNOWN_INDICATOR = _("Välj bland de åtta indikatorerna.")
NOT_OWN_ENTRY = _("Bara den myndighet som skrev posten kan rätta den. Skriv en egen post i stället.")
OTHER_CHILD = _("Posten som ska rättas gäller ett annat barn.")
NOT_A_CONCERN = _("De fem frågorna ställs utifrån en oro. Välj en post av typen oro.")
NEEDS_ANSWER = _("Besvara frågan, även kort.")
NEEDS_ACTION = _("Beskriv vad du eller din verksamhet ska göra.")
NEEDS_FOLLOW_UP = _("Välj ett datum för uppföljning, i dag eller senare.")
NEEDS_SUSPECTS_HARM = _("Svara på om det finns anledning att misstänka att barnet far illa.")
HARM_ANSWER_LOGGED = _("Anledning att misstänka att barnet far illa: %(answer)s")
NEEDS_OTHERS = _("Skriv vilken hjälp som behövs från andra verksamheter.")
NO_NAMED_PERSON = _(
    "Barnet har ingen namngiven person just nu, så det finns ingen som kan ta emot svaren. "
    "Kontakta förskolan, skolan eller BVC."
)
NEEDS_RATING = _("Välj ett svar från 1 till 5 för varje område, eller lämna alla tomma utom de du vill svara på.")
NO_RATINGS = _("Svara på minst ett område.")
NO_AREAS = _("Skriv styrkor eller oro för minst ett område.")
NEEDS_EVIDENCE = _("Skriv vad placeringen bygger på.")
OUT_OF_AXIS = _("Välj ett värde från −2 till +2.")
SCORE_RANGE = _("Skriv en poäng från %(min)d till %(max)d, så som den står på det ifyllda formuläret.")
NEEDS_SCORE = _("Skriv poängen från det ifyllda formuläret.")
BAD_RESPONDENT = _("Välj vem som har fyllt i formuläret.")
TOO_YOUNG = _(
    "Det här formuläret är för barn från %(age)d år, och barnet var yngre när det fylldes i. Kontrollera vem "
    "som fyllde i formuläret och datumet."
)
NOT_AUTHOR = _("Bara den som ställde frågorna kan markera uppföljningen som gjord.")


@dataclass(frozen=True)
class Via:
    """Where a write comes from, for its audit row."""

    actor: audit.Actor
    surface: str
    target: str
    basis: str


@dataclass(frozen=True)
class Author:
    """The unit, authority and information category a staff user writes for."""

    unit: Unit
    authority: Authority
    category: str


def author_for(user) -> Author:
    """Return what a staff user's records are owned as: their first current unit's authority and category."""
    membership = policy.memberships(user).select_related("unit__authority").order_by("pk").first()
    if membership is None:
        raise ValidationError({"__all__": [NO_UNIT]})
    unit = membership.unit
    return Author(unit=unit, authority=unit.authority, category=category_for_unit_type(unit.unit_type))


def family_owner_for(child: Child, *, on: date | None = None) -> Author:
    """Return who owns a family member's own answers: the authority of the child's current named person.

    A guardian or child belongs to no authority, yet every record needs an owner. The named person is
    the family's first point of contact, so their authority receives and answers for what the family writes.
    """
    on = on or policy.today()
    current = Q(start__lte=on) & (Q(end__isnull=True) | Q(end__gt=on))
    assignment = (
        Assignment.objects.filter(current, child=child).select_related("unit__authority").order_by("-start").first()
    )
    if assignment is None:
        raise ValidationError({"__all__": [NO_NAMED_PERSON]})
    unit = assignment.unit
    return Author(unit=unit, authority=unit.authority, category=category_for_unit_type(unit.unit_type))


def _record(via: Via, child_id, record, action: str = "create", reason: str = "") -> None:
    audit.record(
        actor=via.actor,
        action=action,
        surface=via.surface,
        target=via.target,
        basis=via.basis,
        child_id=child_id,
        record_type=type(record).__name__,
        record_id=str(record.pk),
        reason=reason,
    )


# --- The chronology ---


def _entry_errors(*, start_date, end_date, what_happened, source, indicators, today: date) -> dict[str, list]:
    errors: dict[str, list] = {}
    if not what_happened.strip():
        errors["what_happened"] = [NEEDS_WHAT]
    if not source.strip():
        errors["source"] = [NEEDS_SOURCE]
    if start_date > today:
        errors["start_date"] = [IN_FUTURE]
    if end_date is not None and end_date < start_date:
        errors["end_date"] = [END_BEFORE_START]
    elif end_date is not None and end_date > today:
        errors["end_date"] = [IN_FUTURE]
    if set(indicators) - set(Indicator.values):
        errors["indicators"] = [UNKNOWN_INDICATOR]
    return errors


@transaction.atomic
def chronology_entry_create(
    *,
    access: policy.ChildAccess,
    author,
    kind: str,
    start_date: date,
    end_date: date | None = None,
    what_happened: str,
    source: str,
    indicators: list[str],
    impact: str,
    action_taken: str = "",
    corrects: ChronologyEntry | None = None,
    via: Via,
) -> ChronologyEntry:
    """Add an entry to the child's chronology; with `corrects`, a correction of an entry of the author's authority."""
    owner = author_for(author)
    errors = _entry_errors(
        start_date=start_date,
        end_date=end_date,
        what_happened=what_happened,
        source=source,
        indicators=indicators,
        today=policy.today(),
    )
    if corrects is not None and corrects.child_id != access.child.pk:
        errors.setdefault("__all__", []).append(OTHER_CHILD)
    elif corrects is not None and corrects.owner_authority_id != owner.authority.pk:
        # An entry is its authority's record; another authority adds its own view as a new entry.
        errors.setdefault("__all__", []).append(NOT_OWN_ENTRY)
    if errors:
        raise ValidationError(errors)
    entry = ChronologyEntry(
        child=access.child,
        owner_authority=owner.authority,
        category=owner.category,
        author=author,
        author_unit=owner.unit,
        kind=kind,
        start_date=start_date,
        end_date=end_date,
        what_happened=what_happened.strip(),
        source=source.strip(),
        impact=impact,
        action_taken=action_taken.strip(),
        corrects=corrects,
    )
    entry.full_clean()
    entry.save()
    EntryIndicator.objects.bulk_create(
        [EntryIndicator(entry=entry, indicator=code) for code in dict.fromkeys(indicators)]
    )
    _record(via, access.child.pk, entry)
    return entry


# --- The five questions ---


@transaction.atomic
def five_questions_answer(
    *,
    access: policy.ChildAccess,
    entry: ChronologyEntry,
    author,
    in_the_way: str,
    information: str,
    i_can_do: str,
    agency_can_do: str,
    others_needed: str,
    suspects_harm: str,
    outcome: str,
    action: str = "",
    follow_up_on: date | None = None,
    via: Via,
) -> FiveQuestions:
    """Keep the answers to the five questions about a concern, whether harm is suspected, and the outcome."""
    owner = author_for(author)
    errors: dict[str, list] = {}
    # The duty to report is asked every time: it decides whether a report comes before any plan or consent.
    if suspects_harm not in FiveQuestions.SuspectsHarm.values:
        errors["suspects_harm"] = [NEEDS_SUSPECTS_HARM]
    if entry.child_id != access.child.pk or entry.kind != ChronologyEntry.Kind.CONCERN:
        errors["__all__"] = [NOT_A_CONCERN]
    answers = {"in_the_way": in_the_way, "information": information, "i_can_do": i_can_do}
    answers["agency_can_do"] = agency_can_do
    for field, text in answers.items():
        if not text.strip():
            errors[field] = [NEEDS_ANSWER]
    if outcome == FiveQuestions.Outcome.HANDLED_HERE:
        if not action.strip():
            errors["action"] = [NEEDS_ACTION]
        if follow_up_on is None or follow_up_on < policy.today():
            errors["follow_up_on"] = [NEEDS_FOLLOW_UP]
    elif outcome == FiveQuestions.Outcome.NEEDS_OTHERS and not others_needed.strip():
        errors["others_needed"] = [NEEDS_OTHERS]
    if errors:
        raise ValidationError(errors)
    handled = outcome == FiveQuestions.Outcome.HANDLED_HERE
    five = FiveQuestions(
        entry=entry,
        child=access.child,
        owner_authority=owner.authority,
        category=owner.category,
        author=author,
        in_the_way=in_the_way.strip(),
        information=information.strip(),
        i_can_do=i_can_do.strip(),
        agency_can_do=agency_can_do.strip(),
        others_needed=others_needed.strip(),
        suspects_harm=suspects_harm,
        outcome=outcome,
        action=action.strip() if handled else "",
        follow_up_on=follow_up_on if handled else None,
    )
    five.full_clean()
    five.save()
    # The answer goes into the log too: whether harm was suspected is what the duty to report turns on.
    with translation.override("sv"):  # the log is kept in the source language, in words
        reason = str(HARM_ANSWER_LOGGED) % {"answer": five.get_suspects_harm_display()}
    _record(via, access.child.pk, five, reason=reason)
    return five


def follow_ups_mark_due(*, on: date) -> int:
    """Mark follow-ups that have fallen due and are not done; already marked ones are left alone (idempotent)."""
    return FiveQuestions.objects.filter(
        outcome=FiveQuestions.Outcome.HANDLED_HERE,
        follow_up_on__lte=on,
        followed_up_at__isnull=True,
        follow_up_due_marked_at__isnull=True,
    ).update(follow_up_due_marked_at=timezone.now())


@transaction.atomic
def follow_up_complete(*, five: FiveQuestions, user, note: str, via: Via) -> FiveQuestions:
    """Record that the author has followed the action up, with what they found."""
    five = FiveQuestions.objects.select_for_update().get(pk=five.pk)
    if five.author_id != user.pk:
        raise PermissionDenied(NOT_AUTHOR)
    if five.followed_up_at is None:
        five.followed_up_at = timezone.now()
        five.follow_up_note = note.strip()
        five.full_clean()
        five.save(update_fields=["followed_up_at", "follow_up_note"])
        _record(via, five.child_id, five, action="update")
    return five


# --- Assessments: the wheel, the triangle and the matrix ---


def _assessment(*, child: Child, owner: Author, kind: str, rater_kind: str, rated_by, assessed_on, note: str):
    if assessed_on > policy.today():
        raise ValidationError({"assessed_on": [IN_FUTURE]})
    assessment = Assessment(
        child=child,
        owner_authority=owner.authority,
        category=owner.category,
        kind=kind,
        rater_kind=rater_kind,
        rated_by=rated_by,
        assessed_on=assessed_on,
        note=note.strip(),
    )
    assessment.full_clean()
    assessment.save()
    return assessment


@transaction.atomic
def wheel_assessment_record(
    *,
    child: Child,
    owner: Author,
    rater_kind: str,
    rated_by,
    assessed_on: date,
    ratings: dict[str, tuple[int | None, str]],
    note: str = "",
    via: Via,
) -> Assessment:
    """Record a wellbeing wheel: a score 1–5 and a short comment for each indicator answered."""
    answered = {code: value for code, value in ratings.items() if value[0] is not None}
    if set(ratings) - set(Indicator.values):
        raise ValidationError({"__all__": [UNKNOWN_INDICATOR]})
    if any(score not in range(1, 6) for score, _comment in answered.values()):
        raise ValidationError({"__all__": [NEEDS_RATING]})
    if not answered:
        raise ValidationError({"__all__": [NO_RATINGS]})
    assessment = _assessment(
        child=child,
        owner=owner,
        kind=Assessment.Kind.WHEEL,
        rater_kind=rater_kind,
        rated_by=rated_by,
        assessed_on=assessed_on,
        note=note,
    )
    Rating.objects.bulk_create(
        [
            Rating(assessment=assessment, indicator=code, score=score, comment=comment.strip()[:500])
            for code, (score, comment) in answered.items()
        ]
    )
    _record(via, child.pk, assessment)
    return assessment


@transaction.atomic
def triangle_assessment_record(
    *,
    child: Child,
    owner: Author,
    rated_by,
    assessed_on: date,
    notes: dict[str, tuple[str, str]],
    note: str = "",
    via: Via,
) -> Assessment:
    """Record My World Triangle: strengths and concerns for the areas looked at (proportionate: not all)."""
    filled = {area: (s.strip(), c.strip()) for area, (s, c) in notes.items() if s.strip() or c.strip()}
    if set(notes) - set(Area.values):
        raise ValidationError({"__all__": [UNKNOWN_INDICATOR]})
    if not filled:
        raise ValidationError({"__all__": [NO_AREAS]})
    assessment = _assessment(
        child=child,
        owner=owner,
        kind=Assessment.Kind.TRIANGLE,
        rater_kind=Assessment.Rater.PRACTITIONER,
        rated_by=rated_by,
        assessed_on=assessed_on,
        note=note,
    )
    TriangleNote.objects.bulk_create(
        [TriangleNote(assessment=assessment, area=area, strengths=s, concerns=c) for area, (s, c) in filled.items()]
    )
    _record(via, child.pk, assessment)
    return assessment


@transaction.atomic
def matrix_assessment_record(
    *,
    child: Child,
    owner: Author,
    rated_by,
    assessed_on: date,
    resilience: int,
    resilience_evidence: str,
    environment: int,
    environment_evidence: str,
    note: str = "",
    via: Via,
) -> Assessment:
    """Record the resilience matrix: a place on each axis and the evidence for it."""
    errors: dict[str, list] = {}
    for field, value in (("resilience", resilience), ("environment", environment)):
        if value not in range(-2, 3):
            errors[field] = [OUT_OF_AXIS]
    for field, text in (("resilience_evidence", resilience_evidence), ("environment_evidence", environment_evidence)):
        if not text.strip():
            errors[field] = [NEEDS_EVIDENCE]
    if errors:
        raise ValidationError(errors)
    assessment = _assessment(
        child=child,
        owner=owner,
        kind=Assessment.Kind.MATRIX,
        rater_kind=Assessment.Rater.PRACTITIONER,
        rated_by=rated_by,
        assessed_on=assessed_on,
        note=note,
    )
    placement = MatrixPlacement(
        assessment=assessment,
        resilience=resilience,
        resilience_evidence=resilience_evidence.strip(),
        environment=environment,
        environment_evidence=environment_evidence.strip(),
    )
    placement.full_clean()
    placement.save()
    _record(via, child.pk, assessment)
    return assessment


# --- Indicator wordings ---


@transaction.atomic
def indicator_label_set_new_version(*, label_set: IndicatorLabelSet) -> IndicatorLabelSet:
    """Copy a label set and its labels as the next version of its key (not the default), to edit and choose."""
    latest = IndicatorLabelSet.objects.filter(key=label_set.key).aggregate(Max("version"))["version__max"]
    copy = IndicatorLabelSet(
        key=label_set.key,
        version=latest + 1,
        name=label_set.name,
        wheel_name=label_set.wheel_name,
        wheel_name_en=label_set.wheel_name_en,
        confirmed=label_set.confirmed,
        note=label_set.note,
    )
    copy.full_clean()
    copy.save()
    fields = ("indicator", "label", "label_en", "short_text", "short_text_en", "child_text", "child_text_en")
    IndicatorLabel.objects.bulk_create(
        IndicatorLabel(label_set=copy, **{name: getattr(row, name) for name in fields})
        for row in label_set.labels.all()
    )
    return copy


# --- Instruments ---


def _age(child: Child, on: date) -> int:
    born = child.birth_date
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def band_for(bands: list[Band], score: int, *, informant: str) -> Band | None:
    """Return the informant's band whose inclusive range holds the score, or None if no band covers it.

    Parents, teachers and the young person have different cut-offs: a band of another informant never applies.
    """
    return next(
        (band for band in bands if band.informant == informant and band.min_score <= score <= band.max_score), None
    )


@transaction.atomic
def instrument_response_record(
    *,
    access: policy.ChildAccess,
    instrument: Instrument,
    respondent: str,
    completed_on: date,
    scores: dict[str, int | None],
    recorded_by,
    via: Via,
) -> InstrumentResponse:
    """Record an instrument's subscale scores from the official form; compute the total and every band.

    The bands are those of the instrument version and the form's informant (`respondent`); the response
    points at the band rows it got, so later versions never change how a stored response reads.
    """
    owner = author_for(recorded_by)
    subscales = list(Subscale.objects.filter(instrument=instrument).prefetch_related("bands"))
    entered = [s for s in subscales if not s.is_total]
    errors: dict[str, list] = {}
    if respondent not in instrument.respondent_kinds:
        errors["respondent"] = [BAD_RESPONDENT]
    elif (min_age := MIN_AGE.get((instrument.code, respondent))) and _age(access.child, completed_on) < min_age:
        # The self-report bands are for young people; a younger child's self-report has no published bands.
        errors["respondent"] = [TOO_YOUNG % {"age": min_age}]
    if completed_on > policy.today():
        errors["completed_on"] = [IN_FUTURE]
    for subscale in entered:
        score = scores.get(subscale.code)
        if score is None:
            errors[subscale.code] = [NEEDS_SCORE]
        elif not subscale.min_score <= score <= subscale.max_score:
            errors[subscale.code] = [SCORE_RANGE % {"min": subscale.min_score, "max": subscale.max_score}]
    if errors:
        raise ValidationError(errors)
    total_scale = next((s for s in subscales if s.is_total), None)
    total = sum(scores[s.code] for s in entered if s.counts_in_total) if total_scale else None
    response = InstrumentResponse(
        child=access.child,
        owner_authority=owner.authority,
        category=owner.category,
        instrument=instrument,
        respondent=respondent,
        completed_on=completed_on,
        recorded_by=recorded_by,
        total=total,
        total_band=band_for(list(total_scale.bands.all()), total, informant=respondent) if total_scale else None,
    )
    response.full_clean()
    response.save()
    SubscaleScore.objects.bulk_create(
        [
            SubscaleScore(
                response=response,
                subscale=s,
                score=scores[s.code],
                band=band_for(list(s.bands.all()), scores[s.code], informant=respondent),
            )
            for s in entered
        ]
    )
    _record(via, access.child.pk, response)
    return response
