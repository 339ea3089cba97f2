"""The family's log extract: who has read or changed the child's data, when, from where and on what basis."""

from __future__ import annotations

import csv
from uuid import UUID

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from audit import present
from core.access import family_data
from family import selectors
from family.access import family_child_for_user
from sharing import policy
from sharing.selectors import emergency_accesses_for_family

PER_PAGE = 50


@family_data
@require_safe
def child_log(request: HttpRequest, child_id: UUID) -> HttpResponse:
    """Show the child's log extract, newest first, after the emergency accesses to it; the reading is logged."""
    access = family_child_for_user(
        request.user, child_id, actor=policy.page_actor(request), surface="page", target="family:child_log"
    )
    page = Paginator(policy.family_log_events(access), PER_PAGE).get_page(request.GET.get("sida"))
    context = {
        "child": access.child,
        "page": page,
        "rows": selectors.family_rows(page),
        "emergencies": emergency_accesses_for_family(access.child),
    }
    return render(request, "family/child_log.html", context)


@family_data
@require_safe
def child_log_csv(request: HttpRequest, child_id: UUID) -> HttpResponse:
    """Export the child's whole log extract as CSV (semicolon-separated, as Swedish spreadsheets expect)."""
    access = family_child_for_user(
        request.user,
        child_id,
        actor=policy.page_actor(request),
        surface="export",
        target="family:child_log_csv",
        action="export",
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="loggutdrag-{access.child.pk}-{stamp}.csv"'
    response.write("\ufeff")  # byte-order mark: spreadsheet programs then read the file as UTF-8
    writer = csv.writer(response, delimiter=";")
    writer.writerow(present.csv_header()[:-1])  # without the reason column, as the rows
    for chunk in present.chunks(policy.family_log_events(access).iterator(chunk_size=2000)):
        for row in selectors.family_rows(chunk):
            writer.writerow(present.csv_cells(row)[:-1])  # the last cell, staff's reason, is out
    return response
