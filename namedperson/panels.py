"""The handover panel of the child overview: summaries the user may read, and those received but closed to them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from audit import log as audit
from core.batch import Batch, at_once
from namedperson import selectors
from namedperson.models import HandoverSummary
from sharing import policy

TARGET = "people:child"
SHOWN = 5  # the latest few: the overview is no archive, and its query count must not grow with history


@dataclass(frozen=True)
class Panel:
    readable: list[HandoverSummary]
    hidden: list[HandoverSummary]


def child_panel(access: policy.ChildAccess, user, *, actor: audit.Actor) -> Panel:
    """Return the panel in two queries, whatever the history, and log each summary shown."""
    return at_once(lambda batch: panel_reads(access, user, batch, actor=actor))


def panel_reads(access: policy.ChildAccess, user, batch: Batch, *, actor: audit.Actor) -> Callable[[], Panel]:
    """Add the panel's two reads to a batch; return what builds the panel (and logs each summary shown) after it."""
    summaries = selectors.summaries_for(access)
    readable = batch.add(summaries[:SHOWN])
    hidden = batch.add(selectors.summaries_received_hidden(access, user, readable=summaries)[:SHOWN])

    def finish() -> Panel:
        policy.log_shared_reads(
            readable.value, actor=actor, surface="page", target=TARGET, access=access, every_read=True
        )
        return Panel(readable=readable.value, hidden=hidden.value)

    return finish
