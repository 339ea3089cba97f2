"""The handover panel of the child overview: summaries the user may read, and those received but closed to them."""

from __future__ import annotations

from dataclasses import dataclass

from audit import log as audit
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
    summaries = selectors.summaries_for(access)
    readable = list(summaries[:SHOWN])
    policy.log_shared_reads(readable, actor=actor, surface="page", target=TARGET, access=access, every_read=True)
    hidden = list(selectors.summaries_received_hidden(access, user, readable=summaries)[:SHOWN])
    return Panel(readable=readable, hidden=hidden)
