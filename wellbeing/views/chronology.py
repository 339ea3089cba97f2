"""The chronology: every entry the user may see across authorities, adding entries and corrections."""

from __future__ import annotations

from urllib.parse import urlencode
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe

from audit import log as audit
from core.access import child_data
from sharing.display import display_for
from wellbeing import selectors, services
from wellbeing.forms import ChronologyFilterForm, EntryForm
from wellbeing.labels import wording_for
from wellbeing.views.common import SURFACE, add_errors, log_rows, open_child

PER_PAGE = 30
SAVED = _("Posten är sparad i kronologin. Den kan inte ändras; behöver den rättas gör du en rättelse.")
CORRECTED = _("Rättelsen är sparad. Både den ursprungliga posten och rättelsen visas i kronologin.")


def _filters(form: ChronologyFilterForm) -> selectors.ChronologyFilter:
    if not form.is_valid():
        return selectors.ChronologyFilter()
    data = form.cleaned_data
    return selectors.ChronologyFilter(
        indicator=data["indikator"], authority_id=data["myndighet"], date_from=data["fran"], date_to=data["till"]
    )


@child_data
@require_safe
def chronology(request: HttpRequest, child_id: UUID) -> HttpResponse:
    """Show the child's chronology in date order, filtered and paginated; `?utskrift=1` for all on one page."""
    access, via = open_child(request, child_id, "wellbeing:chronology")
    form = ChronologyFilterForm(
        request.GET or None,
        authorities=selectors.chronology_authorities(access),
        indicators=wording_for(access.child.municipality_id).choices,
    )
    rows = selectors.chronology_for(access, _filters(form))
    printable = request.GET.get("utskrift") == "1"
    if printable:
        entries = list(rows)
        page = None
        audit.record(
            actor=via.actor,
            action="print",
            surface=SURFACE,
            target=via.target,
            basis=access.basis,
            child_id=access.child.pk,
            record_type="ChronologyEntry",
        )
    else:
        page = Paginator(rows, PER_PAGE).get_page(request.GET.get("sida"))
        entries = list(page)
    log_rows(entries, access, via)
    query = {k: v for k, v in request.GET.items() if k in form.fields and v}
    context = {
        "child": access.child,
        "form": form,
        "entries": entries,
        "page": page,
        "printable": printable,
        "query": urlencode(query),
        "print_query": urlencode({**query, "utskrift": "1"}),
        "filtered": bool(query),
    }
    return render(request, "wellbeing/chronology.html", context)


@child_data
@require_safe
def entry(request: HttpRequest, child_id: UUID, entry_id: int) -> HttpResponse:
    """Show one entry with what it corrects, its corrections and the five questions asked about it."""
    access, via = open_child(request, child_id, "wellbeing:entry")
    shown = selectors.entry_for(access, entry_id)
    corrections = list(selectors.chronology_for(access).filter(corrects=shown))
    corrected = selectors.chronology_for(access).filter(pk=shown.corrects_id).first() if shown.corrects_id else None
    answers = list(selectors.five_questions_for(access).filter(entry=shown).order_by("created_at"))
    log_rows([shown, *corrections, *([corrected] if corrected else []), *answers], access, via)
    context = {
        "child": access.child,
        "display": display_for(access),
        "entry": shown,
        "corrections": corrections,
        "corrected": corrected,
        "answers": answers,
        "may_correct": shown.owner_authority_id in access.authority_ids,
    }
    return render(request, "wellbeing/entry.html", context)


def _entry_form_page(request, access, via, *, corrects=None) -> HttpResponse:
    initial = {}
    if corrects is not None:
        initial = {
            "kind": corrects.kind,
            "start_date": corrects.start_date,
            "end_date": corrects.end_date,
            "what_happened": corrects.what_happened,
            "source": corrects.source,
            "indicators": [row.indicator for row in corrects.indicators.all()],
            "impact": corrects.impact,
            "action_taken": corrects.action_taken,
        }
    indicators = wording_for(access.child.municipality_id).choices
    form = EntryForm(request.POST if request.method == "POST" else None, initial=initial, indicators=indicators)
    if form.is_valid():
        data = form.cleaned_data
        try:
            created = services.chronology_entry_create(
                access=access,
                author=request.user,
                kind=data["kind"],
                start_date=data["start_date"],
                end_date=data["end_date"],
                what_happened=data["what_happened"],
                source=data["source"],
                indicators=data["indicators"],
                impact=data["impact"],
                action_taken=data["action_taken"],
                corrects=corrects,
                via=via,
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, CORRECTED if corrects else SAVED)
            return redirect("wellbeing:entry", child_id=access.child.pk, entry_id=created.pk)
    context = {"child": access.child, "form": form, "corrects": corrects}
    return render(request, "wellbeing/entry_form.html", context, status=400 if form.errors else 200)


@child_data
@require_http_methods(["GET", "POST"])
def entry_new(request: HttpRequest, child_id: UUID) -> HttpResponse:
    """Add a concern, a strength or a significant event to the child's chronology."""
    access, via = open_child(request, child_id, "wellbeing:entry_new")
    return _entry_form_page(request, access, via)


@child_data
@require_http_methods(["GET", "POST"])
def entry_correct(request: HttpRequest, child_id: UUID, entry_id: int) -> HttpResponse:
    """Write a correction of an entry of the user's own authority; the original stays as it was."""
    access, via = open_child(request, child_id, "wellbeing:entry_correct")
    corrects = selectors.entry_for(access, entry_id)
    log_rows([corrects], access, via)
    if corrects.owner_authority_id not in access.authority_ids:
        return render(
            request, "wellbeing/correct_forbidden.html", {"child": access.child, "entry": corrects}, status=403
        )
    return _entry_form_page(request, access, via, corrects=corrects)
