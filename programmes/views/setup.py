"""Setting up programmes (with sub-projects) and events (with sessions): managers and administrators only.

A programme of another municipality is the same 404 as a missing one; staff of the municipality who do not
run its programmes are told why (403).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from core.access import authenticated
from programmes import selectors, services
from programmes.forms import EventForm, ProgrammeForm, SessionForm, SubProjectForm
from programmes.models import Event, EventSession, SubProject
from programmes.views.common import apply_errors, forbidden, programme_for, via
from sharing import policy

RUNNERS_ONLY = _("Bara chefer och administratörer i kommunen lägger upp och ändrar program och föreläsningar.")


def _form_page(request, form, *, heading, submit, back, intro="") -> HttpResponse:
    context = {"form": form, "heading": heading, "submit": submit, "back": back, "intro": intro}
    return render(request, "programmes/setup_form.html", context, status=400 if form.errors else 200)


def _programme_url(programme_id: int) -> str:
    return reverse("programmes:programme", args=[programme_id])


@authenticated
@require_http_methods(["GET", "POST"])
def programme_new(request: HttpRequest) -> HttpResponse:
    """Create a programme in a municipality where the user is a manager or administrator."""
    if not policy.memberships(request.user).exists():
        raise Http404  # family users and staff without a current employment take no part
    municipalities = selectors.runnable_municipalities(request.user)
    if not municipalities.exists():
        return forbidden(request, RUNNERS_ONLY)
    form = ProgrammeForm(request.POST or None, municipalities=municipalities)
    if form.is_valid():
        try:
            programme = services.programme_save(programme=form.instance, via=via(request, "programmes:programme_new"))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Programmet är skapat. Lägg till delprojekt och föreläsningar."))
            return redirect("programmes:programme", programme_id=programme.pk)
    back = reverse("programmes:home")
    return _form_page(request, form, heading=_("Nytt program"), submit=_("Skapa programmet"), back=back)


@authenticated
@require_http_methods(["GET", "POST"])
def programme_edit(request: HttpRequest, programme_id: int) -> HttpResponse:
    """Change a programme's name, owner, period, steering group and description."""
    programme = programme_for(request, programme_id)
    if not selectors.may_run(request.user, programme):
        return forbidden(request, RUNNERS_ONLY)
    form = ProgrammeForm(request.POST or None, instance=programme)
    if form.is_valid():
        try:
            services.programme_save(programme=form.instance, via=via(request, "programmes:programme_edit"))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Programmet är sparat."))
            return redirect("programmes:programme", programme_id=programme_id)
    return _form_page(
        request, form, heading=_("Ändra programmet"), submit=_("Spara"), back=_programme_url(programme_id)
    )


@authenticated
@require_http_methods(["GET", "POST"])
def sub_project_new(request: HttpRequest, programme_id: int) -> HttpResponse:
    """Add a sub-project (delprojekt) to a programme."""
    programme = programme_for(request, programme_id)
    if not selectors.may_run(request.user, programme):
        return forbidden(request, RUNNERS_ONLY)
    return _sub_project_form(request, SubProject(programme=programme), heading=_("Nytt delprojekt"))


def _sub_project_for(request: HttpRequest, sub_project_id: int) -> SubProject:
    sub_project = SubProject.objects.filter(pk=sub_project_id).first()
    if sub_project is None:
        raise Http404
    programme_for(request, sub_project.programme_id)
    return sub_project


@authenticated
@require_http_methods(["GET", "POST"])
def sub_project_edit(request: HttpRequest, sub_project_id: int) -> HttpResponse:
    sub_project = _sub_project_for(request, sub_project_id)
    if not selectors.may_run(request.user, sub_project.programme):
        return forbidden(request, RUNNERS_ONLY)
    return _sub_project_form(request, sub_project, heading=_("Ändra delprojektet"))


def _sub_project_form(request: HttpRequest, sub_project: SubProject, *, heading) -> HttpResponse:
    programme_id = sub_project.programme_id
    form = SubProjectForm(request.POST or None, instance=sub_project)
    if form.is_valid():
        try:
            services.sub_project_save(sub_project=form.instance, via=via(request, "programmes:sub_project"))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Delprojektet är sparat."))
            return redirect("programmes:programme", programme_id=programme_id)
    return _form_page(request, form, heading=heading, submit=_("Spara"), back=_programme_url(programme_id))


@authenticated
@require_http_methods(["GET", "POST"])
def sub_project_remove(request: HttpRequest, sub_project_id: int) -> HttpResponse:
    """Ask, then remove a sub-project; one with money on it is refused with the reason."""
    sub_project = _sub_project_for(request, sub_project_id)
    programme_id = sub_project.programme_id
    if not selectors.may_run(request.user, sub_project.programme):
        return forbidden(request, RUNNERS_ONLY)
    error = None
    if request.method == "POST":
        try:
            services.sub_project_remove(sub_project=sub_project, via=via(request, "programmes:sub_project_remove"))
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            messages.success(request, _("Delprojektet är borttaget."))
            return redirect("programmes:programme", programme_id=programme_id)
    context = {
        "heading": _("Ta bort delprojektet %(name)s?") % {"name": sub_project.name},
        "explanation": _("Delprojektet tas bort från programmet. Det går inte att ångra."),
        "submit": _("Ta bort delprojektet"),
        "back": _programme_url(programme_id),
        "error": error,
    }
    return render(request, "programmes/confirm.html", context, status=400 if error else 200)


@authenticated
@require_http_methods(["GET", "POST"])
def event_new(request: HttpRequest, programme_id: int) -> HttpResponse:
    """Add an event (a lecture) to a programme; its sessions are added on the event's page next."""
    programme = programme_for(request, programme_id)
    if not selectors.may_run(request.user, programme):
        return forbidden(request, RUNNERS_ONLY)
    form = EventForm(request.POST or None, instance=Event(programme=programme), programme=programme)
    if form.is_valid():
        try:
            event = services.event_save(event=form.instance, via=via(request, "programmes:event_new"))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Föreläsningen är skapad. Lägg till dess tillfällen."))
            return redirect("programmes:event_edit", event_id=event.pk)
    back = _programme_url(programme_id)
    return _form_page(request, form, heading=_("Ny föreläsning"), submit=_("Skapa föreläsningen"), back=back)


def _event_for(request: HttpRequest, event_id: int) -> Event:
    event = Event.objects.select_related("programme").filter(pk=event_id).first()
    if event is None:
        raise Http404
    programme_for(request, event.programme_id)
    return event


@authenticated
@require_http_methods(["GET", "POST"])
def event_edit(request: HttpRequest, event_id: int) -> HttpResponse:
    """Change an event and list its sessions, with the registrations of each and a way to cancel it."""
    event = _event_for(request, event_id)
    if not selectors.may_run(request.user, event.programme):
        return forbidden(request, RUNNERS_ONLY)
    title = event.title  # the heading keeps the saved title while a refused form is shown
    form = EventForm(request.POST or None, instance=event, programme=event.programme)
    if form.is_valid():
        try:
            services.event_save(event=form.instance, via=via(request, "programmes:event_edit"))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Föreläsningen är sparad."))
            return redirect("programmes:event_edit", event_id=event_id)
    sessions = [(session, services.registrations_to_cancel(session)) for session in event.sessions.all()]
    context = {
        "event": event,
        "title": title,
        "form": form,
        "sessions": sessions,
        "programme": event.programme,
        "now": timezone.now(),
    }
    return render(request, "programmes/event_form.html", context, status=400 if form.errors else 200)


@authenticated
@require_http_methods(["GET", "POST"])
def session_new(request: HttpRequest, event_id: int) -> HttpResponse:
    """Add a session (a half day, or times of one's own) with its number of places."""
    event = _event_for(request, event_id)
    if not selectors.may_run(request.user, event.programme):
        return forbidden(request, RUNNERS_ONLY)
    form = SessionForm(request.POST or None)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.session_add(
                event=event,
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                capacity=data["capacity"],
                via=via(request, "programmes:session_new"),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Tillfället är tillagt."))
            return redirect("programmes:event_edit", event_id=event_id)
    context = {"event": event, "form": form}
    return render(request, "programmes/session_form.html", context, status=400 if form.errors else 200)


@authenticated
@require_http_methods(["GET", "POST"])
def session_cancel(request: HttpRequest, session_id: int) -> HttpResponse:
    """Ask (telling how many are registered), then cancel a session that has not begun."""
    session = EventSession.objects.select_related("event").filter(pk=session_id).first()
    if session is None:
        raise Http404
    event = _event_for(request, session.event_id)
    if not selectors.may_run(request.user, event.programme):
        return forbidden(request, RUNNERS_ONLY)
    error = None
    if request.method == "POST":
        try:
            count = services.session_cancel(session=session, via=via(request, "programmes:session_cancel"))
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            done = ngettext(
                "Tillfället är inställt; %(count)s anmälan togs bort.",
                "Tillfället är inställt; %(count)s anmälningar togs bort.",
                count,
            )
            messages.success(request, done % {"count": count})
            return redirect("programmes:event_edit", event_id=event.pk)
    count = services.registrations_to_cancel(session)
    when = session.starts_at
    context = {
        "heading": _("Ställa in tillfället?"),
        "explanation": ngettext(
            "%(event)s %(when)s ställs in. %(count)s person är anmäld eller står på väntelistan; "
            "anmälan tas bort. Det går inte att ångra.",
            "%(event)s %(when)s ställs in. %(count)s personer är anmälda eller står på väntelistan; "
            "deras anmälningar tas bort. Det går inte att ångra.",
            count,
        )
        % {"event": event.title, "when": services.moment_in_words(when), "count": count},
        "submit": _("Ställ in tillfället"),
        "back": reverse("programmes:event_edit", args=[event.pk]),
        "error": error,
    }
    return render(request, "programmes/confirm.html", context, status=400 if error else 200)
