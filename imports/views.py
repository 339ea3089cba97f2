"""The import admin page: runs and their reports, uploading a Navet file, the progress of a running import.

Only an administrator (the policy's ADMINISTER action) sees these pages; to anyone else they are a 404.
The reports name no child: records are referred to by their place in the file.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from core.access import authenticated
from imports import present, services
from imports.forms import NavetUploadForm
from imports.models import ImportRun
from sharing import policy

PER_PAGE = 20


def _require_administrator(request: HttpRequest) -> None:
    if not policy.may(request.user, policy.Action.ADMINISTER):
        raise Http404


@authenticated
@require_safe
def run_list(request: HttpRequest) -> HttpResponse:
    """List import runs, newest first, with the upload form."""
    _require_administrator(request)
    page = Paginator(ImportRun.objects.all(), PER_PAGE).get_page(request.GET.get("sida"))
    return render(request, "imports/list.html", {"page": page, "form": NavetUploadForm()})


@authenticated
@require_http_methods(["POST"])
def navet_upload(request: HttpRequest) -> HttpResponse:
    """Start importing an uploaded Navet file; a bad form shows the list again with the errors."""
    _require_administrator(request)
    form = NavetUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        page = Paginator(ImportRun.objects.all(), PER_PAGE).get_page(1)
        return render(request, "imports/list.html", {"page": page, "form": form}, status=400)
    run = services.navet_upload_start(
        upload=form.cleaned_data["file"], dry_run=form.cleaned_data["dry_run"], user=request.user
    )
    return redirect("imports:detail", run_id=run.pk)


@authenticated
@require_safe
def run_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    """Show one run: a progress bar while it runs (polled by htmx), then its report."""
    _require_administrator(request)
    run = get_object_or_404(ImportRun, pk=run_id)
    context = {"run": run, "counted": present.counted(run)}
    if request.headers.get("HX-Request"):
        response = render(request, "imports/detail.html#progress", context)
        if run.status != ImportRun.Status.RUNNING:
            response["HX-Refresh"] = "true"  # show the finished report
    else:
        response = render(request, "imports/detail.html", context)
    response["Vary"] = "HX-Request"
    return response
