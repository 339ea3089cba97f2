"""Pages of the collected picture: the indicator registry, values over time, entry, import, rounds, calculator."""

from __future__ import annotations

import csv
import io

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from audit import log as audit
from core.access import authenticated
from indicators import calculator, kolada, present, selectors, services
from indicators.forms import CalculatorForm, ImportForm, RoundForm, ValueForm
from indicators.models import Gender, Indicator
from organisations.models import Municipality, Unit
from sharing import policy

PER_PAGE = 25
READERS_ONLY = gettext_lazy(
    "Indikatorerna och kalkylen är till för analytiker, chefer och administratörer. Be din chef om rollen."
)
REPORTERS_ONLY = gettext_lazy(
    "Du rapporterar inte för någon enhet eller kommun. Värden lämnas av analytiker, chefer och "
    "administratörer för sin egen myndighet."
)


def _via(request: HttpRequest, target: str) -> services.Via:
    return services.Via(actor=policy.page_actor(request), surface="page", target=target, user=request.user)


def _forbidden(request: HttpRequest, message) -> HttpResponse:
    return render(request, "indicators/forbidden.html", {"message": message}, status=403)


def _indicator(indicator_id: int) -> Indicator:
    indicator = Indicator.objects.filter(pk=indicator_id).first()
    if indicator is None:
        raise Http404
    return indicator


@authenticated
@require_safe
def indicator_list(request: HttpRequest) -> HttpResponse:
    """List the indicator registry with a search (analysts, managers, administrators)."""
    if not selectors.may_read(request.user):
        return _forbidden(request, READERS_ONLY)
    search = request.GET.get("q", "").strip()[:100]
    page = Paginator(selectors.indicators(search=search), PER_PAGE).get_page(request.GET.get("sida"))
    context = {
        "page": page,
        "search": search,
        "query": f"q={search}" if search else "",
        "may_report": selectors.reportable_units(request.user).exists()
        or selectors.reportable_municipalities(request.user).exists(),
    }
    return render(request, "indicators/list.html", context)


def value_table(indicator: Indicator, values) -> tuple[list[str], list[dict]]:
    """Pivot current values into rows (place, gender, age band) by period columns, each cell already shown."""
    periods = sorted({v.period for v in values})
    rows: dict[tuple, dict] = {}
    for v in values:
        place = v.unit.name if v.unit else v.municipality.name
        key = (v.municipality.name, place, v.gender, v.age_band)
        row = rows.setdefault(
            key,
            {"place": place, "gender": Gender(v.gender).label, "age_band": v.age_band or _("Alla"), "cells": {}},
        )
        row["cells"][v.period] = {"text": present.shown(indicator, v.value), "revised": v.revision > 1}
    table = []
    for key in sorted(rows):
        row = rows[key]
        row["cells"] = [row["cells"].get(p) for p in periods]
        table.append(row)
    return periods, table


@authenticated
@require_safe
def indicator_detail(request: HttpRequest, indicator_id: int) -> HttpResponse:
    """Show an indicator's definition and its values over time, one column per period."""
    if not selectors.may_read(request.user):
        return _forbidden(request, READERS_ONLY)
    indicator = _indicator(indicator_id)
    municipalities = selectors.municipalities_for(request.user)
    values = list(selectors.current_values(municipalities=municipalities).filter(indicator=indicator))
    periods, table = value_table(indicator, values)
    changes = (
        indicator.values.filter(municipality__in=municipalities, revision__gt=1)
        .select_related("unit", "municipality", "recorded_by")
        .order_by("-recorded_at")[:20]
    )
    with transaction.atomic():
        services.log(
            via=_via(request, "indicators:detail"), action="read", record_type="Indicator", record_id=str(indicator.pk)
        )
    context = {
        "indicator": indicator,
        "periods": periods,
        "table": table,
        "changes": [
            {
                "place": c.unit.name if c.unit else c.municipality.name,
                "period": c.period,
                "gender": Gender(c.gender).label,
                "text": present.shown(indicator, c.value),
                "by": c.recorded_by.get_full_name() if c.recorded_by else _("Schemalagd hämtning"),
                "at": c.recorded_at,
                "note": c.note,
            }
            for c in changes
        ],
        "rule": present.rule(),
        "may_report": bool(_places(request)),
    }
    return render(request, "indicators/detail.html", context)


def _places(request: HttpRequest) -> list[tuple[str, str]]:
    municipalities = [
        (f"m{m.pk}", _("%(name)s, hela kommunen eller en organisation utanför Samplan") % {"name": m.name})
        for m in selectors.reportable_municipalities(request.user)
    ]
    units = [(f"u{u.pk}", u.name) for u in selectors.reportable_units(request.user)]
    return municipalities + units


def _place(code: str) -> tuple[Municipality, Unit | None]:
    if code.startswith("u"):
        unit = Unit.objects.select_related("authority__municipality").get(pk=int(code[1:]))
        return unit.authority.municipality, unit
    return Municipality.objects.get(pk=int(code[1:])), None


@authenticated
@require_http_methods(["GET", "POST"])
def value_enter(request: HttpRequest, indicator_id: int) -> HttpResponse:
    """Enter a figure for an indicator; a changed figure is kept as a new revision, the old one stays."""
    indicator = _indicator(indicator_id)
    places = _places(request)
    if not places:
        return _forbidden(request, REPORTERS_ONLY)
    form = ValueForm(request.POST or None, indicator=indicator, places=places)
    if form.is_valid():
        data = form.cleaned_data
        municipality, unit = _place(data["place"])
        try:
            row = services.value_record(
                via=_via(request, "indicators:enter"),
                indicator=indicator,
                municipality=municipality,
                unit=unit,
                period=data["period"].strip().upper(),
                gender=data["gender"],
                age_band=data.get("age_band", "").strip(),
                value=data["value"],
                note=data["note"],
            )
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            if row is None:
                messages.info(request, _("Värdet var redan rapporterat. Inget ändrades."))
            elif row.revision > 1:
                messages.success(request, _("Värdet är ändrat. Det tidigare värdet finns kvar i historiken."))
            else:
                messages.success(request, _("Värdet är sparat."))
            return redirect("indicators:detail", indicator_id=indicator.pk)
    context = {"indicator": indicator, "form": form}
    return render(request, "indicators/enter.html", context, status=400 if form.errors else 200)


@authenticated
@require_http_methods(["GET", "POST"])
def import_file(request: HttpRequest) -> HttpResponse:
    """Import figures from a CSV/XLSX file or Kolada values from JSON: all rows, or none with reasons."""
    if not _places(request):
        return _forbidden(request, REPORTERS_ONLY)
    form = ImportForm(request.POST or None, request.FILES or None)
    report, refused = None, ""
    if form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        via = _via(request, "indicators:import")
        try:
            if form.cleaned_data["kind"] == "kolada":
                if not selectors.reportable_municipalities(request.user).exists():
                    raise kolada.KoladaRefused(_("Kolada-värden gäller hela kommunen: be en analytiker importera dem."))
                allowed = set(selectors.reportable_municipalities(request.user).values_list("code", flat=True))
                report = kolada.store(via=via, points=kolada.parse(content), municipalities=allowed)
            else:
                report = services.values_import(via=via, rows=services.read_table(upload.name, content))
        except (services.ImportRefused, kolada.KoladaRefused) as exc:
            refused = str(exc)
        if report is not None and report.ok:
            messages.success(
                request,
                _("Filen är importerad: %(created)d nya värden, %(revised)d ändrade, %(unchanged)d oförändrade.")
                % {"created": report.created, "revised": report.revised, "unchanged": report.unchanged},
            )
            return redirect("indicators:import")
    status = 400 if (form.errors or refused or (report is not None and not report.ok)) else 200
    context = {"form": form, "report": report, "refused": refused, "columns": services.COLUMNS}
    return render(request, "indicators/import.html", context, status=status)


@authenticated
@require_http_methods(["GET", "POST"])
def rounds(request: HttpRequest) -> HttpResponse:
    """List the yearly reporting rounds; analysts and administrators open a new one."""
    if not selectors.may_read(request.user):
        return _forbidden(request, READERS_ONLY)
    openers = selectors.reportable_municipalities(request.user)
    form = RoundForm(request.POST or None, municipalities=openers) if openers.exists() else None
    if request.method == "POST":
        if form is None:
            return _forbidden(request, REPORTERS_ONLY)
        if form.is_valid():
            data = form.cleaned_data
            try:
                reporting_round = services.round_open(
                    via=_via(request, "indicators:rounds"),
                    municipality=openers.get(pk=int(data["municipality"])),
                    year=data["year"],
                    due_on=data["due_on"],
                )
            except ValidationError as exc:
                for name, errors in exc.message_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                messages.success(request, _("Rapporteringsomgången är öppnad."))
                return redirect("indicators:round", round_id=reporting_round.pk)
    context = {"rounds": selectors.rounds_for(request.user), "form": form}
    return render(request, "indicators/rounds.html", context, status=400 if form is not None and form.errors else 200)


@authenticated
@require_safe
def round_detail(request: HttpRequest, round_id: int) -> HttpResponse:
    """Show who has reported for the year and who has not yet."""
    reporting_round = selectors.rounds_for(request.user).filter(pk=round_id).first()
    if reporting_round is None:
        raise Http404
    done, missing = selectors.round_status(reporting_round)
    context = {"round": reporting_round, "done": done, "missing": missing}
    return render(request, "indicators/round.html", context)


# --- The calculator ---


def _calculation(request: HttpRequest):
    form = CalculatorForm(request.GET or None)
    if request.GET:
        result = calculator.calculate(**form.inputs()) if form.is_valid() else None
    else:
        form = CalculatorForm(initial=None)
        result = calculator.ystad()
    return form, result


@authenticated
@require_safe
def calculator_page(request: HttpRequest) -> HttpResponse:
    """The price of exclusion per cohort and payer (Ystad 2019 as the example)."""
    if not selectors.may_read(request.user):
        return _forbidden(request, READERS_ONLY)
    form, result = _calculation(request)
    context = {"form": form, "result": result, "query": request.GET.urlencode()}
    return render(request, "indicators/calculator.html", context, status=400 if form.errors else 200)


def calculation_rows(result: calculator.Result) -> list[list]:
    rows = [
        [
            _("Aktör"),
            _("Kostnad per person (kr)"),
            _("Kronor"),
            _("Andel (%)"),
            _("Per procentenhet (kr)"),
            _("Per år och procentenhet (kr)"),
        ]
    ]
    for row in result.payers:
        rows.append(
            [str(row.label), f"{row.cost_per_person:.2f}", row.amount, f"{row.share:.2f}", row.per_point, row.per_year]
        )
    rows.append([_("Summa"), "", result.total, "100.00", result.per_point or "", result.per_point_per_year or ""])
    return rows


@authenticated
@require_safe
def calculator_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The calculation as CSV or as a PDF document."""
    if fmt not in ("csv", "pdf"):
        raise Http404
    if not selectors.may_read(request.user):
        return _forbidden(request, READERS_ONLY)
    form, result = _calculation(request)
    if result is None:
        return render(request, "indicators/calculator.html", {"form": form, "result": None}, status=400)
    with transaction.atomic():
        audit.record(
            actor=policy.page_actor(request),
            action="export",
            surface="export",
            target="indicators:calculator",
            basis=services.BASIS,
            record_type="Calculation",
        )
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";")
        writer.writerow(
            [
                _("Årskull"),
                result.cohort,
                _("Andel (%)"),
                result.rate_percent,
                _("Personer"),
                result.persons,
                _("År"),
                result.years,
            ]
        )
        writer.writerows(calculation_rows(result))
        response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="utanforskapets-pris.csv"'
        return response
    from plans import pdf

    html = render_to_string("indicators/calculator_pdf.html", {"result": result}, request=request)
    response = HttpResponse(pdf.render(html), content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="utanforskapets-pris.pdf"'
    return response
