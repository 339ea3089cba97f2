"""Instrument scores: recording the scores from an official form, and the child's results with bands."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe

from core.access import child_data
from sharing import policy
from wellbeing import present, selectors, services
from wellbeing.forms import InstrumentForm
from wellbeing.views.common import add_errors, log_rows, open_child

SAVED = _("Poängen är sparade och tolkade.")


@child_data
@require_safe
def instruments(request: HttpRequest, child_id: UUID) -> HttpResponse:
    """List the child's instrument results the user may see, and the instruments to record."""
    access, via = open_child(request, child_id, "wellbeing:instruments")
    rows = list(selectors.instrument_responses_for(access)[:50])
    log_rows(rows, access, via)
    results = [present.instrument_result(row) for row in rows]
    context = {"child": access.child, "results": results, "instruments": list(selectors.active_instruments())}
    return render(request, "wellbeing/instruments.html", context)


@child_data
@require_http_methods(["GET", "POST"])
def instrument_new(request: HttpRequest, child_id: UUID, instrument_id: int) -> HttpResponse:
    """Record the subscale scores of a completed form; the total and bands are computed."""
    access, via = open_child(request, child_id, "wellbeing:instrument_new")
    instrument = selectors.active_instruments().filter(pk=instrument_id).first()
    if instrument is None:
        raise Http404
    subscales = list(instrument.subscales.all())
    data = request.POST if request.method == "POST" else None
    form = InstrumentForm(data, instrument=instrument, subscales=subscales, initial={"completed_on": policy.today()})
    if form.is_valid():
        try:
            services.instrument_response_record(
                access=access,
                instrument=instrument,
                respondent=form.cleaned_data["respondent"],
                completed_on=form.cleaned_data["completed_on"],
                scores=form.scores(),
                recorded_by=request.user,
                via=via,
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, SAVED)
            return redirect("wellbeing:instruments", child_id=access.child.pk)
    context = {"child": access.child, "form": form, "instrument": instrument, "subscales": subscales}
    return render(request, "wellbeing/instrument_form.html", context, status=400 if form.errors else 200)
