"""The wellbeing panel of the child overview: latest wheel and chronology count, in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch

from audit import log as audit
from sharing import policy
from wellbeing.labels import indicator_texts
from wellbeing.models import Assessment, ChronologyEntry, Rating
from wellbeing.present import RatingRow, rating_rows

TARGET = "people:child"


@dataclass(frozen=True)
class Panel:
    latest: Assessment | None
    rows: list[RatingRow]
    entry_count: int


def child_panel(access: policy.ChildAccess, *, actor: audit.Actor) -> Panel:
    """Return the panel; four queries whatever the history (count, latest wheel, its ratings, labels)."""
    entry_count = policy.records_for_user(access, ChronologyEntry.objects.all()).count()
    latest = (
        policy.records_for_user(access, Assessment.objects.filter(kind=Assessment.Kind.WHEEL))
        .prefetch_related(Prefetch("ratings", queryset=Rating.objects.all()))
        .order_by("-assessed_on", "-pk")
        .first()
    )
    if latest is None:
        return Panel(None, [], entry_count)
    policy.log_shared_reads([latest], actor=actor, surface="page", target=TARGET, access=access)
    return Panel(latest, rating_rows(indicator_texts(access.child.municipality_id), latest), entry_count)
