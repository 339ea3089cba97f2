"""The import-run framework: start a run, act as the import in the audit log, report, finish.

Every import writes in batches, each batch one transaction with its audit rows (`audit.deferred`), so
a crash loses at most one batch and a re-run (imports are idempotent) completes the work. A dry run
does the same work and rolls every batch back. Progress is written outside the batch transactions,
so a page polling the run sees it move while the import works.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.utils import timezone

from audit import log as audit
from imports.models import ImportRun

MAX_REPORT_LINES = 2000  # a report of 200 000 new children would be a list nobody reads; counts stay exact


class _DryRunRollback(Exception):
    """Raised inside a dry-run batch to roll it back."""


@dataclass
class Report:
    """What a run changed and what it could not map, collected while it works."""

    counts: Counter = field(default_factory=Counter)
    changes: list[str] = field(default_factory=list)
    unmapped: list[str] = field(default_factory=list)

    def change(self, key: str, text: str) -> None:
        self.counts[key] += 1
        if len(self.changes) < MAX_REPORT_LINES:
            self.changes.append(str(text))

    def reject(self, key: str, text: str) -> None:
        self.counts[key] += 1
        if len(self.unmapped) < MAX_REPORT_LINES:
            self.unmapped.append(str(text))


def actor_for(run: ImportRun) -> audit.Actor:
    """Return the audit actor of a run: the import itself, not the person who started it."""
    return audit.Actor(user_id=None, username=f"import {run.kind} {run.pk}")


def target_for(run: ImportRun) -> str:
    return "import_navet" if run.kind == ImportRun.Kind.NAVET else "sync_ss12000"


def run_start(*, kind: str, source_name: str, dry_run: bool, started_by=None, full: bool = False) -> ImportRun:
    """Create the run row that reports progress and the result."""
    return ImportRun.objects.create(
        kind=kind, source_name=source_name[:300], dry_run=dry_run, started_by=started_by, full=full
    )


def run_progress(run: ImportRun, *, processed: int, total: int | None = None) -> None:
    """Write how far the run has come, outside any batch transaction."""
    run.processed = processed
    fields = {"processed": processed}
    if total is not None:
        run.total = fields["total"] = total
    ImportRun.objects.filter(pk=run.pk).update(**fields)


def run_finish(run: ImportRun, report: Report, *, status: str = ImportRun.Status.DONE, error: str = "") -> ImportRun:
    """Store the report and the final state."""
    run.status = status
    run.error = error[:500]
    run.counts = dict(report.counts)
    run.changes = report.changes
    run.unmapped = report.unmapped
    run.finished_at = timezone.now()
    if status == ImportRun.Status.DONE:
        run.processed = run.total
    run.save()
    return run


@contextlib.contextmanager
def batch(run: ImportRun) -> Iterator[None]:
    """One atomic batch with its audit rows; rolled back when the run is a dry run."""
    try:
        with audit.deferred():
            yield
            if run.dry_run:
                raise _DryRunRollback
    except _DryRunRollback:
        pass
