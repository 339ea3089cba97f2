"""The import admin page: runs and their reports, uploading a Navet file, starting an SS12000 sync, progress.

Only an administrator (the policy's ADMINISTER action) sees these pages; to anyone else they are a 404.
An SS12000 sync is offered, and may be started, only for the servers of an authority the administrator
administers (`policy.administered_authorities`); an administrator of another authority gets a 404.
The reports name no child: records are referred to by their place in the file.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from core.access import authenticated
from imports import present, services
from imports.forms import NavetUploadForm, SS12000SyncForm
from imports.models import ImportRun, SS12000Server
from sharing import policy

PER_PAGE = 20


def _require_administrator(request: HttpRequest) -> None:
    if not policy.may(request.user, policy.Action.ADMINISTER):
        raise Http404


def _servers(request: HttpRequest):
    """Return the SS12000 servers the administrator may sync: those of the authorities they administer."""
    return SS12000Server.objects.filter(authority__in=policy.administered_authorities(request.user)).select_related(
        "authority"
    )


def _list(request: HttpRequest, *, form=None, sync_form=None, status: int = 200) -> HttpResponse:
    page = Paginator(ImportRun.objects.all(), PER_PAGE).get_page(request.GET.get("sida") if status == 200 else 1)
    servers = _servers(request)
    context = {
        "page": page,
        "form": form or NavetUploadForm(),
        "sync_form": sync_form or (SS12000SyncForm(servers=servers) if servers.exists() else None),
    }
    return render(request, "imports/list.html", context, status=status)


@authenticated
@require_safe
def run_list(request: HttpRequest) -> HttpResponse:
    """List import runs, newest first, with the upload form and the SS12000 sync form."""
    _require_administrator(request)
    return _list(request)


@authenticated
@require_http_methods(["POST"])
def ss12000_sync(request: HttpRequest) -> HttpResponse:
    """Start a full or delta sync (or a dry run) of one of the administrator's own authority's SS12000 servers."""
    _require_administrator(request)
    servers = _servers(request)
    if not servers.exists():
        raise Http404  # an administrator of another authority: no server of theirs to sync
    form = SS12000SyncForm(request.POST, servers=servers)
    if not form.is_valid():
        return _list(request, sync_form=form, status=400)
    run = services.ss12000_sync_start(
        server=form.cleaned_data["server"],
        full=form.cleaned_data["scope"] == "full",
        dry_run=form.cleaned_data["dry_run"],
        user=request.user,
    )
    return redirect("imports:detail", run_id=run.pk)


@authenticated
@require_http_methods(["POST"])
def navet_upload(request: HttpRequest) -> HttpResponse:
    """Start importing an uploaded Navet file; a bad form shows the list again with the errors."""
    _require_administrator(request)
    form = NavetUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _list(request, form=form, status=400)
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
    context = {"run": run, "counted": present.counted(run), "step": present.step(run), "scope": present.scope(run)}
    if request.headers.get("HX-Request"):
        response = render(request, "imports/detail.html#progress", context)
        if run.status != ImportRun.Status.RUNNING:
            response["HX-Refresh"] = "true"  # show the finished report
    else:
        response = render(request, "imports/detail.html", context)
    response["Vary"] = "HX-Request"
    return response
