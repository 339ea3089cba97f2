"""The log extract of one child: who read or changed its data, when, from where and on what basis."""

from __future__ import annotations

import csv
from uuid import UUID

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from audit import present
from core.access import child_data
from sharing import policy
from sharing.policy import ChildAccess

PER_PAGE = 50
PAGE_TARGET = "audit:child_log"
CSV_TARGET = "audit:child_log_csv"


def _open(request: HttpRequest, child_id: UUID, *, action: str, surface: str, target: str) -> ChildAccess:
    """Load the child for its log extract and log the reading, or raise Http404 (missing or forbidden alike)."""
    actor = policy.page_actor(request)
    access = policy.child_for_user(request.user, child_id, actor=actor, surface=surface, target=target, action=action)
    if not policy.may_read_log_extract(request.user, access):
        # Rolls back the audit row just written with the transaction: nothing was shown.
        raise Http404
    return access


@child_data
@require_safe
def child_log(request: HttpRequest, child_id: UUID) -> HttpResponse:
    """Show the child's log extract, newest first, a page at a time; the reading is itself logged."""
    access = _open(request, child_id, action="read", surface="page", target=PAGE_TARGET)
    page = Paginator(policy.log_events_for(access), PER_PAGE).get_page(request.GET.get("sida"))
    context = {"child": access.child, "page": page, "rows": present.event_rows(page)}
    return render(request, "audit/child_log.html", context)


@child_data
@require_safe
def child_log_csv(request: HttpRequest, child_id: UUID) -> HttpResponse:
    """Export the child's whole log extract as CSV (semicolon-separated, as Swedish spreadsheets expect)."""
    access = _open(request, child_id, action="export", surface="export", target=CSV_TARGET)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="loggutdrag-{access.child.pk}-{stamp}.csv"'
    response.write("\ufeff")  # byte-order mark: spreadsheet programs then read the file as UTF-8
    writer = csv.writer(response, delimiter=";")
    writer.writerow(present.csv_header())
    for chunk in present.chunks(policy.log_events_for(access).iterator(chunk_size=2000)):
        writer.writerows(present.csv_cells(row) for row in present.event_rows(chunk))
    return response
