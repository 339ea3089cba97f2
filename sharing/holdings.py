"""Which authorities hold records of a child, per information category: whose secrecy a consent waives.

A consent opens categories of a child's records whoever holds them (`policy.records_for_user`), so it
lifts the secrecy of the authorities that hold records of those categories (OSL 12 kap. 2 §). Every
kind of child record carries its holder (`owner_authority`) and its `category`; this module lists
those kinds once, for the policy (a holder sees the consents that open its records) and for the pages
that say whose information a consent is about.
"""

from __future__ import annotations

from django.db.models import QuerySet

from catalogue.models import Referral, SupportRequest
from meetings.models import CaseItem
from namedperson.models import Assignment, HandoverSummary
from people.models import Child, Enrolment
from plans.models import ChildPlan
from sharing.models import ReportOfConcern
from wellbeing.models import Assessment, ChronologyEntry, FiveQuestions, InstrumentResponse

# Every kind of record about a child that an authority holds; a test keeps this list complete.
HELD_RECORD_MODELS = (
    Enrolment,
    Assignment,
    ChronologyEntry,
    FiveQuestions,
    Assessment,
    InstrumentResponse,
    ChildPlan,
    ReportOfConcern,
    HandoverSummary,
    Referral,
    SupportRequest,
    CaseItem,
)


def held_records() -> tuple[QuerySet, ...]:
    """Return a queryset of every kind of child record an authority holds."""
    return tuple(model.objects.all() for model in HELD_RECORD_MODELS)


def held_by(child: Child, *, access=None) -> dict[str, list[str]]:
    """Return, for each category, the names of the authorities holding records of the child today, in one query.

    The family (the data subject) learns every holder. Staff pass their `access` and learn only the
    holders whose records they may read themselves (`policy.records_for_user`): that another
    authority, social services above all, holds anything about the child is that authority's secret.
    Authorities only, never units: a unit's name can say where a child with protected identity lives.
    """
    from sharing import policy  # the policy imports this module for its holder rule

    if access is not None:
        access = policy.with_openings(access)  # one query for what opens records, shared by every kind below
    columns = ("category", "owner_authority__name")
    parts = [
        (policy.records_for_user(access, rows) if access is not None else rows.filter(child=child))
        .order_by()
        .values_list(*columns)
        for rows in held_records()
    ]
    held: dict[str, set[str]] = {}
    for category, name in parts[0].union(*parts[1:]):
        held.setdefault(category, set()).add(name)
    return {category: sorted(names) for category, names in held.items()}
