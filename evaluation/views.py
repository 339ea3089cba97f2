"""Dashboards per municipality and per unit, and the pilot comparison: aggregate figures only, never a child."""

from __future__ import annotations

import hashlib
from dataclasses import replace

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from audit import log as audit
from core import disclosure
from core.access import authenticated
from evaluation import access, present
from evaluation.forms import EndPilotForm, FilterForm, PilotForm
from evaluation.kpis import KPIS
from evaluation.models import Pilot
from evaluation.pilot import caveats, compare, outcomes, periods
from evaluation.scope import Period, Scope
from organisations.models import Unit
from sharing import policy


def _audit(request: HttpRequest, target: str, record_type: str, record_id: int, action: str = "read") -> None:
    audit.record(
        actor=policy.page_actor(request),
        action=action,
        surface="page",
        target=target,
        basis=policy.Basis.FOLLOW_UP,
        record_type=record_type,
        record_id=str(record_id),
    )


def cache_seconds() -> int:
    """How long computed KPI results may be reused (setting SAMPLAN_EVALUATION_CACHE_SECONDS; 0, the default, never)."""
    return settings.SAMPLAN_EVALUATION_CACHE_SECONDS


def _results(scope: Scope, period: Period) -> list:
    """The KPI results for a scope and period, reused for `cache_seconds()` when the deployment allows it.

    Called only after the access check: the scope's municipality is one the user may follow up, and the
    figures do not depend on who asks. The key holds the whole scope (municipality, area, units, age band,
    gender), the period, the language of the titles and the small-count threshold; suppression and the
    audit row still happen on every request.
    """
    seconds = cache_seconds()
    if seconds <= 0:
        return [kpi(scope, period) for kpi in KPIS.values()]
    parts = repr((scope, period, translation.get_language(), disclosure.threshold()))
    key = "evaluation:kpis:" + hashlib.sha256(parts.encode()).hexdigest()
    results = cache.get(key)
    if results is None:
        results = [kpi(scope, period) for kpi in KPIS.values()]
        cache.set(key, results, seconds)
    return results


def _panels(scope: Scope, form: FilterForm) -> list[dict]:
    period = form.period(policy.today())
    return [present.kpi_panel(result) for result in _results(scope, period)]


def _filtered(scope: Scope, form: FilterForm) -> Scope:
    if not form.is_valid():
        return scope
    data = form.cleaned_data
    return replace(scope, area=data.get("area", ""), age_band=data["age_band"], gender=data["gender"])


@authenticated
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """List the municipalities (and their units and pilots) whose figures the user may follow up."""
    municipalities = list(access.municipalities_for(request.user, mine=policy.request_memberships(request)))
    if not municipalities:
        raise Http404  # practitioners and other roles: the same answer as a page that does not exist
    units = Unit.objects.filter(authority__municipality__in=municipalities).select_related("authority")
    # The units are offered in a list to choose from, not as links: a page of a municipality's units is a
    # directory, and the chosen one opens its own dashboard (whose access is checked there again).
    chosen = request.GET.get("enhet", "")
    if chosen.isdigit() and units.filter(pk=int(chosen)).exists():
        return redirect("evaluation:unit", unit_id=int(chosen))
    pilots = Pilot.objects.filter(municipality__in=municipalities)
    return render(
        request,
        "evaluation/home.html",
        {"municipalities": municipalities, "units": units, "pilots": pilots},
    )


@authenticated
@require_safe
def municipality(request: HttpRequest, municipality_id: int) -> HttpResponse:
    """The municipality's KPIs with filters, and its pilots."""
    municipality = access.municipality_for(request.user, municipality_id, mine=policy.request_memberships(request))
    areas = sorted(
        set(Unit.objects.filter(authority__municipality=municipality).exclude(area="").values_list("area", flat=True))
    )
    form = FilterForm(request.GET or None, areas=areas)
    scope = _filtered(Scope(municipality_id=municipality.pk), form)
    with transaction.atomic():
        panels = _panels(scope, form)
        _audit(request, "evaluation:municipality", "Municipality", municipality.pk)
    context = {
        "heading": _("Uppföljning för %(name)s") % {"name": municipality.name},
        "form": form,
        "panels": panels,
        "period": form.period(policy.today()),
        "pilots": Pilot.objects.filter(municipality=municipality),
        "rule": disclosure.rule_text(),
    }
    return render(request, "evaluation/dashboard.html", context)


@authenticated
@require_safe
def unit(request: HttpRequest, unit_id: int) -> HttpResponse:
    """One unit's KPIs: the children enrolled at the unit on each figure's reference day."""
    unit = access.unit_for(request.user, unit_id, mine=policy.request_memberships(request))
    form = FilterForm(request.GET or None)
    scope = _filtered(Scope(municipality_id=unit.authority.municipality_id, unit_ids=(unit.pk,)), form)
    with transaction.atomic():
        panels = _panels(scope, form)
        _audit(request, "evaluation:unit", "Unit", unit.pk)
    context = {
        "heading": _("Uppföljning för %(name)s") % {"name": unit.name},
        "form": form,
        "panels": panels,
        "period": form.period(policy.today()),
        "pilots": [],
        "rule": disclosure.rule_text(),
    }
    return render(request, "evaluation/dashboard.html", context)


def _pilot_for(request: HttpRequest, pilot_id: int) -> Pilot:
    """A pilot of a municipality the user may follow up; any other is the same 404 as a missing one."""
    mine = policy.request_memberships(request)
    return get_object_or_404(
        Pilot.objects.filter(municipality__in=access.municipalities_for(request.user, mine=mine)), pk=pilot_id
    )


@authenticated
@require_http_methods(["GET", "HEAD", "POST"])
def pilot_new(request: HttpRequest, municipality_id: int) -> HttpResponse:
    """Define a pilot in a municipality the user follows up (analysts and managers)."""
    municipality = access.municipality_for(request.user, municipality_id, mine=policy.request_memberships(request))
    form = PilotForm(request.POST or None, municipality=municipality, instance=Pilot(municipality=municipality))
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            made = form.save()
            _audit(request, "evaluation:pilot_new", "Pilot", made.pk, action="create")
        return redirect("evaluation:pilot", pilot_id=made.pk)
    context = {"form": form, "heading": _("Ny pilot i %(name)s") % {"name": municipality.name}, "pilot": None}
    return render(request, "evaluation/pilot_form.html", context)


@authenticated
@require_http_methods(["GET", "HEAD", "POST"])
def pilot_edit(request: HttpRequest, pilot_id: int) -> HttpResponse:
    """Change a pilot's definition."""
    pilot = _pilot_for(request, pilot_id)
    form = PilotForm(request.POST or None, municipality=pilot.municipality, instance=pilot)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
            _audit(request, "evaluation:pilot_edit", "Pilot", pilot.pk, action="update")
        return redirect("evaluation:pilot", pilot_id=pilot.pk)
    context = {"form": form, "heading": _("Ändra piloten %(name)s") % {"name": pilot.name}, "pilot": pilot}
    return render(request, "evaluation/pilot_form.html", context)


@authenticated
@require_POST
def pilot_end(request: HttpRequest, pilot_id: int) -> HttpResponse:
    """End a running pilot on a given day: the pilot period then stops there."""
    pilot = _pilot_for(request, pilot_id)
    form = EndPilotForm(request.POST, pilot=pilot)
    if not form.is_valid():
        return _pilot_page(request, pilot, end_form=form, status=400)
    with transaction.atomic():
        pilot.ended_on = form.cleaned_data["ended_on"]
        pilot.save(update_fields=["ended_on"])
        _audit(request, "evaluation:pilot_end", "Pilot", pilot.pk, action="update")
    return redirect("evaluation:pilot", pilot_id=pilot.pk)


@authenticated
@require_safe
def pilot(request: HttpRequest, pilot_id: int) -> HttpResponse:
    """Baseline, pilot period and control group for one outcome, with the difference in differences."""
    return _pilot_page(request, _pilot_for(request, pilot_id))


def _pilot_page(request: HttpRequest, pilot: Pilot, *, end_form: EndPilotForm | None = None, status: int = 200):
    choices = outcomes()
    chosen = request.GET.get("utfall", "reactualisation")
    if chosen not in choices:
        chosen = "reactualisation"
    with transaction.atomic():
        comparison = compare(pilot, chosen, today=policy.today())
        _audit(request, "evaluation:pilot", "Pilot", pilot.pk)
    data = present.comparison_dict(comparison)
    before, after = periods(pilot, policy.today())
    context = {
        "pilot": pilot,
        "units": list(pilot.units.all()),
        "control_units": list(pilot.control_units.all()),
        "before": before,
        "after": after,
        "end_form": end_form or EndPilotForm(pilot=pilot, initial={"ended_on": policy.today()}),
        "definition": choices[chosen].definition,
        "choices": [(key, outcome.title) for key, outcome in choices.items()],
        "chosen": chosen,
        "data": data,
        "spec": present.pilot_chart(comparison, data),
        "caveats": caveats(),
        "rule": disclosure.rule_text(),
    }
    return render(request, "evaluation/pilot.html", context, status=status)
