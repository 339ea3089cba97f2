"""Export the catalogue as CSV or Excel, and import a file of interventions all or nothing with a report."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from audit import log as audit
from catalogue import selectors, transfer
from catalogue.forms import ImportForm
from catalogue.services import BASIS
from catalogue.views.staff import filter_form, staff_interventions, via
from core.access import authenticated
from sharing import policy

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@authenticated
@require_safe
@transaction.atomic  # the audit row is written in the transaction of the export
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    """Download the filtered catalogue as CSV or Excel; the download is logged."""
    if fmt not in CONTENT_TYPES:
        raise Http404
    queryset = selectors.filtered(staff_interventions(request), filter_form(request).filters())
    data = transfer.dataset_for(queryset)
    body = data.export(fmt)
    if fmt == "csv":
        body = "\ufeff" + body  # a byte-order mark so spreadsheet programs read the Swedish letters right
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    filename = f"insatskatalog-{timezone.localdate().isoformat()}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    audit.record(
        actor=policy.page_actor(request),
        action="export",
        surface="export",
        target="catalogue:export",
        basis=BASIS,
        record_type="Intervention",
        reason=_("%(count)d insatser") % {"count": data.height},
    )
    return response


@authenticated
@require_http_methods(["GET", "POST"])
def import_file(request: HttpRequest) -> HttpResponse:
    """Read a CSV or Excel file of interventions: all rows are saved, or none with the reasons why."""
    staff_interventions(request)
    providers = selectors.kept_providers(request.user)
    if not providers.exists():
        return render(request, "catalogue/forbidden.html", status=403)
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    report = None
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            data = transfer.load(upload.read(), upload.name)
        except ValueError as exc:
            report = transfer.Report()
            report.add(0, str(exc))
        else:
            report = transfer.interventions_import(data=data, providers=providers, via=via(request, "catalogue:import"))
        if report.ok:
            messages.success(
                request,
                _("Filen är inläst: %(created)d nya och %(updated)d ändrade insatser.")
                % {"created": report.created, "updated": report.updated},
            )
            return redirect("catalogue:list")
    status = 400 if form.errors or (report and not report.ok) else 200
    context = {"form": form, "report": report, "columns": transfer.COLUMNS, "required": transfer.REQUIRED}
    return render(request, "catalogue/import.html", context, status=status)
