"""Reads of the practice model, always through the access policy and with their joins applied."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from organisations.models import Authority
from sharing import policy
from sharing.models import ReportOfConcern
from wellbeing.models import (
    Assessment,
    ChronologyEntry,
    FiveQuestions,
    Instrument,
    InstrumentResponse,
    SubscaleScore,
)


@dataclass(frozen=True)
class ChronologyFilter:
    indicator: str = ""
    authority_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None


def chronology_for(access: policy.ChildAccess, filters: ChronologyFilter | None = None) -> QuerySet[ChronologyEntry]:
    """Return the child's chronology entries the user may see, across authorities, in date order."""
    filters = filters or ChronologyFilter()
    rows = policy.records_for_user(access, ChronologyEntry.objects.all())
    if filters.indicator:
        rows = rows.filter(indicators__indicator=filters.indicator)
    if filters.authority_id:
        rows = rows.filter(owner_authority_id=filters.authority_id)
    if filters.date_to:
        rows = rows.filter(start_date__lte=filters.date_to)
    if filters.date_from:
        # A period overlaps the filter when it ends on or after its first day.
        rows = rows.filter(
            Q(end_date__gte=filters.date_from) | Q(end_date__isnull=True, start_date__gte=filters.date_from)
        )
    return (
        rows.select_related("owner_authority", "author_unit", "author")
        .prefetch_related("indicators")
        .order_by("start_date", "created_at", "pk")
    )


def chronology_authorities(access: policy.ChildAccess) -> QuerySet[Authority]:
    """Return the authorities whose entries the user sees in the child's chronology (for the filter)."""
    visible = policy.records_for_user(access, ChronologyEntry.objects.all()).values("owner_authority")
    return Authority.objects.filter(pk__in=visible).order_by("name")


def entry_for(access: policy.ChildAccess, entry_id: int) -> ChronologyEntry:
    """Return one visible entry of the child, or Http404 (missing and hidden alike)."""
    entry = chronology_for(access).filter(pk=entry_id).first()
    if entry is None:
        raise Http404
    return entry


def five_questions_for(access: policy.ChildAccess) -> QuerySet[FiveQuestions]:
    return policy.records_for_user(access, FiveQuestions.objects.select_related("author", "owner_authority"))


def unreported_suspicion(access: policy.ChildAccess) -> FiveQuestions | None:
    """Return the latest answer by the user's authority that suspects the child is harmed, unless a report followed.

    The duty to report comes before a plan or a consent request: until the authority has made the report of
    concern, those pages refuse. Only the authority's own records are looked at, to decide, never shown.
    """
    own = access.authority_ids
    latest = (
        FiveQuestions.objects.filter(
            child=access.child, owner_authority__in=own, suspects_harm=FiveQuestions.SuspectsHarm.YES
        )
        .order_by("-created_at", "-pk")
        .first()
    )
    if latest is None:
        return None
    reported = ReportOfConcern.objects.filter(
        child=access.child, reporter_authority__in=own, created_at__gte=latest.created_at
    ).exists()
    return None if reported else latest


def my_follow_ups(user, *, on: date | None = None) -> QuerySet[FiveQuestions]:
    """Return the user's open single-agency follow-ups for children they still have a relation to (today by default)."""
    on = on or policy.today()
    return (
        FiveQuestions.objects.filter(
            author=user,
            outcome=FiveQuestions.Outcome.HANDLED_HERE,
            followed_up_at__isnull=True,
            child__in=policy.visible_children(user, on=on),  # the relation still holds
            owner_authority__in=policy.user_authorities(user, on=on),  # still the user's own authority's record
        )
        .select_related("child", "entry")
        .order_by("follow_up_on", "pk")
    )


def assessments_for(access: policy.ChildAccess, kind: str | None = None) -> QuerySet[Assessment]:
    """Return the child's visible assessments (optionally of one kind), newest first, with their parts."""
    rows = policy.records_for_user(access, Assessment.objects.all())
    if kind:
        rows = rows.filter(kind=kind)
    return (
        rows.select_related("owner_authority", "rated_by", "matrix")
        .prefetch_related("ratings", "triangle_notes")
        .order_by("-assessed_on", "-pk")
    )


def assessment_for(access: policy.ChildAccess, assessment_id: int) -> Assessment:
    assessment = assessments_for(access).filter(pk=assessment_id).first()
    if assessment is None:
        raise Http404
    return assessment


def instrument_responses_for(access: policy.ChildAccess) -> QuerySet[InstrumentResponse]:
    scores = SubscaleScore.objects.select_related("subscale", "band").order_by("subscale__position")
    return (
        policy.records_for_user(access, InstrumentResponse.objects.all())
        .select_related("instrument", "owner_authority", "total_band", "recorded_by")
        .prefetch_related(Prefetch("scores", queryset=scores))
        .order_by("-completed_on", "-pk")
    )


def active_instruments() -> QuerySet[Instrument]:
    return Instrument.objects.filter(active=True).prefetch_related("subscales__bands").order_by("name", "version")
