"""The wellbeing panel of the child overview: latest wheel and chronology count, in a fixed number of queries."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from audit import log as audit
from core.batch import Batch, at_once
from sharing import policy
from wellbeing.labels import Wording, indicator_texts, score_word
from wellbeing.models import Assessment, ChronologyEntry, Rating

TARGET = "people:child"


@dataclass(frozen=True)
class IndicatorRow:
    """The latest rating of one indicator, from whichever wheel the user may see rated it last."""

    label: str
    score: int | None
    word: str
    on: date | None
    who: str


@dataclass(frozen=True)
class Panel:
    latest: Assessment | None
    rows: list[IndicatorRow]
    entry_count: int


def child_panel(access: policy.ChildAccess, *, actor: audit.Actor) -> Panel:
    """Return the panel: the latest rating per indicator with its date, not only the latest (maybe partial) wheel."""
    return at_once(lambda batch: panel_reads(access, batch, actor=actor))


def panel_reads(access: policy.ChildAccess, batch: Batch, *, actor: audit.Actor) -> Callable[..., Panel]:
    """Add the panel's reads to a batch; return what builds the panel (and logs the wheels shown) once it has run.

    The chronology count and the visible wheels' ratings are read in the batch, whatever the history; only
    when there are ratings, the wheels they come from (at most one per indicator) and the indicator labels
    (unless the page passes the `labels.Wording` it has read already) are read after it.
    """
    entry_count = batch.count(policy.records_for_user(access, ChronologyEntry.objects.all()))
    wheels = policy.records_for_user(access, Assessment.objects.filter(kind=Assessment.Kind.WHEEL))
    ratings = batch.add(
        Rating.objects.filter(assessment__in=wheels.values("pk"))
        .order_by("indicator", "-assessment__assessed_on", "-assessment__pk")
        .values_list("indicator", "score", "assessment_id")
    )

    def finish(wording: Wording | None = None) -> Panel:
        return _panel(access, actor, wheels, ratings.value, entry_count.value, wording)

    return finish


def _panel(access, actor, wheels, ratings, entry_count: int, wording) -> Panel:
    newest: dict[str, tuple[int, int]] = {}
    for indicator, score, assessment_id in ratings:
        newest.setdefault(indicator, (score, assessment_id))
    if not newest:
        return Panel(None, [], entry_count)
    # The wheels the shown ratings come from (at most one per indicator), read and logged through the policy.
    shown = {row.pk: row for row in wheels.filter(pk__in={pk for _, pk in newest.values()})}
    assessments = sorted(shown.values(), key=lambda row: (row.assessed_on, row.pk), reverse=True)
    policy.log_shared_reads(assessments, actor=actor, surface="page", target=TARGET, access=access)
    rows = []
    texts = wording.texts if wording is not None else indicator_texts(access.child.municipality_id)
    for text in texts:
        score, assessment_id = newest.get(text.code, (None, None))
        wheel = shown.get(assessment_id)
        on = wheel.assessed_on if wheel else None
        who = wheel.get_rater_kind_display() if wheel else ""
        rows.append(IndicatorRow(text.label, score, score_word(score), on, who))
    return Panel(assessments[0], rows, entry_count)
