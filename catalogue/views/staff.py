"""Staff pages of the catalogue: the table, one intervention, keeping entries, the pyramid and the actor map.

The catalogue holds no child data, so these pages are `authenticated`; every staff member of a
municipality sees all its entries, public and internal. Writes go through services that check the
user keeps the provider and log each change. An entry outside the user's municipalities is the
same 404 as a missing one.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from catalogue import present, selectors, services
from catalogue.forms import FilterForm, InterventionForm, WaitingTimeForm
from catalogue.models import Intervention
from core.access import authenticated
from sharing import policy

PER_PAGE = 25
SURFACE = "page"


def via(request: HttpRequest, target: str) -> services.Via:
    return services.Via(user=request.user, actor=policy.page_actor(request), surface=SURFACE, target=target)


def staff_interventions(request: HttpRequest):
    """Return the user's catalogue; a user without a current employment has none (404)."""
    if not policy.memberships(request.user).exists():
        raise Http404  # family users and former staff have no staff catalogue
    return selectors.interventions_for(request.user)


def _intervention(request: HttpRequest, intervention_id: int) -> Intervention:
    found = staff_interventions(request).filter(pk=intervention_id).first()
    if found is None:
        raise Http404
    return found


def filter_form(request: HttpRequest) -> FilterForm:
    providers = selectors.listed_providers(request.user).order_by("name")
    return FilterForm(request.GET or None, providers=providers)


@authenticated
@require_safe
def intervention_list(request: HttpRequest) -> HttpResponse:
    """List the catalogue, searchable, filterable and sortable, a page at a time."""
    queryset = staff_interventions(request)
    form = filter_form(request)
    filters = form.filters()
    page = Paginator(selectors.filtered(queryset, filters), PER_PAGE).get_page(request.GET.get("sida"))
    context = {
        "form": form,
        "page": page,
        "rows": present.rows(page.object_list, on=timezone.localdate()),
        "query": present.query_without_page(request.GET),
        "may_keep": selectors.kept_providers(request.user).exists(),
    }
    return render(request, "catalogue/intervention_list.html", context)


@authenticated
@require_safe
def intervention_detail(request: HttpRequest, intervention_id: int) -> HttpResponse:
    """Show one intervention with its waiting time and whether the user keeps it."""
    intervention = _intervention(request, intervention_id)
    may_keep = selectors.may_keep(request.user, intervention.provider)
    context = {
        "item": present.row(intervention, on=timezone.localdate()),
        "may_keep": may_keep,
        "form": WaitingTimeForm(initial={"weeks": intervention.waiting_weeks}) if may_keep else None,
    }
    return render(request, "catalogue/intervention_detail.html", context)


def _apply(form, exc: ValidationError) -> None:
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _edit(request: HttpRequest, intervention: Intervention, target: str) -> HttpResponse:
    providers = selectors.kept_providers(request.user).order_by("name")
    if not providers.exists():
        return render(request, "catalogue/forbidden.html", status=403)
    settings = selectors.settings_for(providers.first().municipality)
    form = InterventionForm(
        request.POST or None, instance=intervention, providers=providers, colour_labels=present.colours(settings)
    )
    if form.is_valid():
        needs = form.cleaned_data["needs"]
        try:
            saved = services.intervention_save(
                intervention=form.save(commit=False), needs=needs, via=via(request, target)
            )
        except ValidationError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("Insatsen är sparad."))
            return redirect("catalogue:detail", intervention_id=saved.pk)
    context = {"form": form, "intervention": intervention if intervention.pk else None}
    return render(request, "catalogue/intervention_form.html", context, status=400 if form.errors else 200)


@authenticated
@require_http_methods(["GET", "POST"])
def intervention_new(request: HttpRequest) -> HttpResponse:
    """Add an intervention to one of the providers the user keeps."""
    staff_interventions(request)
    return _edit(request, Intervention(), "catalogue:new")


@authenticated
@require_http_methods(["GET", "POST"])
def intervention_edit(request: HttpRequest, intervention_id: int) -> HttpResponse:
    """Change an intervention of a provider the user keeps."""
    intervention = _intervention(request, intervention_id)
    if not selectors.may_keep(request.user, intervention.provider):
        return render(request, "catalogue/forbidden.html", status=403)
    return _edit(request, intervention, "catalogue:edit")


@authenticated
@require_POST
def waiting_time(request: HttpRequest, intervention_id: int) -> HttpResponse:
    """Confirm the current waiting time of an intervention the user keeps."""
    intervention = _intervention(request, intervention_id)
    form = WaitingTimeForm(request.POST)
    if not selectors.may_keep(request.user, intervention.provider):
        return render(request, "catalogue/forbidden.html", status=403)
    if form.is_valid():
        try:
            services.waiting_time_confirm(
                intervention=intervention,
                weeks=form.cleaned_data["weeks"],
                on=timezone.localdate(),
                via=via(request, "catalogue:waiting_time"),
            )
        except PermissionDenied:
            return render(request, "catalogue/forbidden.html", status=403)
        messages.success(request, _("Väntetiden är bekräftad i dag."))
        return redirect("catalogue:detail", intervention_id=intervention.pk)
    context = {"item": present.row(intervention, on=timezone.localdate()), "may_keep": True, "form": form}
    return render(request, "catalogue/intervention_detail.html", context, status=400)


@authenticated
@require_safe
def mine(request: HttpRequest) -> HttpResponse:
    """Show the entries of the providers the user keeps, stale waiting times first, with the reminders."""
    staff_interventions(request)
    kept = selectors.kept_providers(request.user)
    queryset = selectors.interventions_for(request.user).filter(provider__in=kept)
    rows = present.rows(queryset.order_by("waiting_confirmed_on", "name"), on=timezone.localdate())
    rows.sort(key=lambda row: (not row.stale, row.intervention.provider.name, row.intervention.name))
    context = {"rows": rows, "providers": kept.order_by("name")}
    return render(request, "catalogue/mine.html", context)


@authenticated
@require_safe
def pyramid(request: HttpRequest) -> HttpResponse:
    """Draw the interventions by level, indicated on top, with a table of counts and names beside it."""
    queryset = staff_interventions(request)
    form = filter_form(request)
    levels = selectors.pyramid(selectors.filtered(queryset, form.filters()))
    context = {"form": form, "levels": levels, "shapes": present.pyramid_shapes(levels)}
    return render(request, "catalogue/pyramid.html", context)


@authenticated
@require_safe
def actor_map(request: HttpRequest) -> HttpResponse:
    """Show which ages, 0 to 18, each intervention is offered to, grouped by provider."""
    queryset = staff_interventions(request)
    form = filter_form(request)
    groups = selectors.actor_map(selectors.filtered(queryset, form.filters()))
    context = {"form": form, "groups": groups, "ages": list(selectors.AGES)}
    return render(request, "catalogue/actor_map.html", context)


@authenticated
@require_safe
def directory(request: HttpRequest) -> HttpResponse:
    """List the providers of the user's municipalities with contacts, opening hours and how many entries each has."""
    staff_interventions(request)
    providers = selectors.provider_counts(selectors.listed_providers(request.user))
    return render(request, "catalogue/directory.html", {"providers": providers})
